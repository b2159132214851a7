package dev.ravine.data;

/** What the target is: a class index (softmax cross-entropy) or a real value (mean squared error). */
public enum Task {
    CLASSIFICATION, REGRESSION;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code auto} gives null: decide from the target column. */
    public static Task parse(String s) {
        return switch (s) {
            case "auto" -> null;
            case "classification" -> CLASSIFICATION;
            case "regression" -> REGRESSION;
            default -> throw new IllegalArgumentException("unknown task '" + s + "' (expected auto, classification or regression)");
        };
    }
}
