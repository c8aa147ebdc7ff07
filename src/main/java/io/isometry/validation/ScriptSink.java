package io.isometry.validation;

/** Where a checker of what an argument holds (an awk program, a sed script, a list of names) reports. */
interface ScriptSink {

  /** A construct the policy refuses, with the text that shows it. */
  void refuse(Refusal refusal, String token);

  /** A file the program reads: judged like any file argument. */
  void file(String path);

  /** A file the program creates or writes: judged as a file, and as a write ({@link WriteRule}). */
  void written(String path);
}
