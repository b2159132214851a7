package dev.ravine.optim;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A hyperparameter without a default, as in PyTorch (StepLR's step_size, ExponentialLR's gamma): help shows it as
 * {@code key=<required>} instead of the placeholder its record holds until a spec gives it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {
}
