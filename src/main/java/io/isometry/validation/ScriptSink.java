package io.isometry.validation;

/** Where a script checker ({@link AwkProgram}, {@link SedScript}) reports what it finds. */
interface ScriptSink {

  /** A construct the policy refuses, with the text that shows it. */
  void refuse(Refusal refusal, String token);

  /** A file the script reads or writes: judged like any file argument. */
  void file(String path);
}
