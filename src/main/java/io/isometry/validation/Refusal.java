package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;

/** Why the rules refuse a program or one of its options: the violation it becomes. */
record Refusal(ViolationType type, Severity severity, String reason) {
}
