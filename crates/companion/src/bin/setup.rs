fn main() {
    tessera_companion::run_setup();
}
