//! The crate as packaged holds only what a Rust user builds (issue 23): `cargo package --list`
//! gives the library's sources, the std-only verifier example, the manifest, the lock file, the
//! README (the crate docs), the license and the changelog; none of the extension, the local
//! server, the benchmarks, the tests, the npm side. The manifest names the documentation.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Every `.rs` file under `dir`, as a path relative to the crate root with `/`.
fn sources(root: &Path, dir: &str, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(root.join(dir)).expect("read the source folder") {
        let entry = entry.expect("a folder entry");
        let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
        if entry.file_type().expect("a file type").is_dir() {
            sources(root, &name, out);
        } else if name.ends_with(".rs") {
            out.insert(name);
        }
    }
}

#[test]
fn the_package_holds_the_library_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(root)
        .output()
        .expect("cargo package --list runs");
    assert!(
        out.status.success(),
        "cargo package --list failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: BTreeSet<String> = String::from_utf8(out.stdout)
        .expect("the list is UTF-8")
        .lines()
        // Written by cargo in a git checkout only.
        .filter(|l| *l != ".cargo_vcs_info.json")
        .map(String::from)
        .collect();
    let mut expected: BTreeSet<String> = [
        "CHANGELOG.md",
        "Cargo.lock",
        "Cargo.toml",
        "Cargo.toml.orig",
        "LICENSE",
        "README.md",
        "examples/verify.rs",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    sources(root, "src", &mut expected);
    assert_eq!(listed, expected);
    for dir in ["src/binding/", "src/diagnose/", "src/verify/"] {
        assert!(
            listed.iter().any(|f| f.starts_with(dir)),
            "{dir} is in the package"
        );
    }
    let size: u64 = listed
        .iter()
        .filter(|f| !f.ends_with(".orig"))
        .map(|f| std::fs::metadata(root.join(f)).map_or(0, |m| m.len()))
        .sum();
    assert!(size < 1 << 20, "the package's files are {size} B");
}

#[test]
fn the_manifest_names_the_documentation() {
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.contains("\ndocumentation = \"https://docs.rs/contextio-signer\"\n"));
    assert!(manifest.contains("\nlicense = \"MIT\"\n"));
}
