package dev.ravine.cli;

import picocli.CommandLine;

/** {@code on|off} flags. */
final class Switch implements CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new CommandLine.TypeConversionException("'" + value + "' is not on or off");
        };
    }
}
