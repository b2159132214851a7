package dev.ravine.cli;

/** The values of {@code on|off} flags. */
enum OnOff {
    on, off;

    boolean value() {
        return this == on;
    }

    static OnOff of(boolean b) {
        return b ? on : off;
    }
}
