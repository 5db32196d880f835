package io.vipwatch.testkit.internal;

import org.junit.jupiter.api.extension.ExtensionContext;

/** Finds the context whose resources a test shares. */
public final class ClassScope {

    private ClassScope() {
    }

    /**
     * The context of the outermost test class around {@code context}: resources stored there live
     * as long as that class runs and are shared by its {@code @Nested} classes, its constructor,
     * its {@code @BeforeAll} methods and its tests.
     */
    public static ExtensionContext of(final ExtensionContext context) {
        ExtensionContext outermost = context;
        for (ExtensionContext current = context; current.getParent().isPresent();
                current = current.getParent().get()) {
            if (current.getElement().filter(Class.class::isInstance).isPresent()) {
                outermost = current;
            }
        }
        return outermost;
    }
}
