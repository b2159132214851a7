package dev.ravine.tensor;

/** The element types ravine computes in: float32 for speed, float64 for exact comparisons and curvature. */
public enum DType {
    FLOAT32("float32", "F32", Float.BYTES),
    FLOAT64("float64", "F64", Double.BYTES);

    /** The name users type ({@code --dtype float64}). */
    public final String label;
    /** The code in a safetensors header. */
    public final String safetensorsCode;
    public final int bytes;

    DType(String label, String safetensorsCode, int bytes) {
        this.label = label;
        this.safetensorsCode = safetensorsCode;
        this.bytes = bytes;
    }

    public static DType parse(String label) {
        for (DType t : values()) if (t.label.equals(label)) return t;
        throw new IllegalArgumentException("unknown dtype '" + label + "' (expected float32 or float64)");
    }

    @Override
    public String toString() {
        return label;
    }
}
