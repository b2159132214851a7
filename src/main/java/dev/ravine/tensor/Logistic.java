package dev.ravine.tensor;

/**
 * The functions of e^{-c|x|} whose float32 forward pass has a vector kernel of ravine's own ({@link Logistic32}): the
 * logistic sigmoid, tanh (2 sigmoid(2x) - 1) and SiLU (x sigmoid(x)).
 */
public enum Logistic {
    TANH, SIGMOID, SILU
}
