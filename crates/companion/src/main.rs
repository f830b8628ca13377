fn main() {
    tessera_companion::run();
}
