fn main() -> std::process::ExitCode {
    gongkai_app::cli::main()
}
