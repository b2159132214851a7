package dev.ravine.nn;

import dev.ravine.autodiff.Layer;
import java.util.List;

/** A layer without parameters whose output has its input's width: activations, dropout. */
abstract class SameWidthLayer implements Layer {
    protected final int width;

    SameWidthLayer(int width) {
        this.width = width;
    }

    @Override
    public final int inputWidth() {
        return width;
    }

    @Override
    public final int outputWidth() {
        return width;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of();
    }
}
