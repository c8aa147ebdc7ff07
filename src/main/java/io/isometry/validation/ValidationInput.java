package io.isometry.validation;

import io.isometry.contract.SubmitRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Rule} judges: the request and the facts the policy found about it.
 *
 * @param request the request as submitted
 * @param argv the words of the command (argv[0] as given, not yet resolved); empty when there
 *     was no usable command
 * @param executable the absolute executable argv[0] stands for, when it is allowed
 * @param cwd where the requested working directory lands
 * @param commandLine the argv as its program reads it (options, values, operands and their roles)
 * @param paths judges the files the arguments name, from the working directory
 */
public record ValidationInput(SubmitRequest request, List<String> argv, Optional<String> executable,
                              WorkingDirectory cwd, CommandLine commandLine, PathJudge paths) {

  /** The variables the request asks to add to the child's environment. */
  public Map<String, String> env() {
    return request.env();
  }
}
