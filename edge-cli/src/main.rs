//! The `oms-edge` binary; see the library for everything it does.

fn main() -> std::process::ExitCode {
    oms_edge::main()
}
