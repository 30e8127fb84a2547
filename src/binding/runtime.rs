//! The runtime of the no_std wasm build (the shipped package): a global allocator (lol_alloc's
//! free list, a few hundred bytes of code) and a panic handler.
//!
//! std's panic runtime formats every panic message, which links `core::fmt` and the Unicode
//! tables into the module although nobody can read the message there. This handler traps at
//! once instead. The core never panics on any input (property tests and fuzzing check it); a
//! trap would only mean a bug, and the JS side then sees a `RuntimeError`.

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread: nothing can
// reach the allocator concurrently.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
