//! The runtime of the no_std wasm build (the shipped package): a global allocator and a panic
//! handler.
//!
//! std's panic runtime formats every panic message, which links `core::fmt` and the Unicode
//! tables into the module although nobody can read the message there. This handler traps at
//! once instead. The core never panics on any input (property tests and fuzzing check it); a
//! trap would only mean a bug, and the JS side then sees a `RuntimeError`.

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
