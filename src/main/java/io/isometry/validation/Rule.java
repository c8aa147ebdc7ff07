package io.isometry.validation;

import java.util.List;

/**
 * One part of the security policy. A rule only judges: it adds a violation for every way the
 * input breaks it and never stops the others, so a client sees all that is wrong at once. Rules
 * are shared between threads and must keep no state.
 */
@FunctionalInterface
public interface Rule {

  void check(ValidationInput input, List<Violation> violations);
}
