//! The `switchboard` binary: everything lives in the library; see `cli`.

// Imports allocate and free many small JSON values from several threads at once, where
// mimalloc is markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    server::cli::main()
}
