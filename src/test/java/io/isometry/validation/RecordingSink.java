package io.isometry.validation;

import java.util.ArrayList;
import java.util.List;

/** Records what a script checker reports: refusals, the files it names, and those it would write. */
final class RecordingSink implements ScriptSink {

  final List<String> refused = new ArrayList<>();
  /** Every file named, written ones included. */
  final List<String> files = new ArrayList<>();
  final List<String> written = new ArrayList<>();

  @Override
  public void refuse(Refusal refusal, String token) {
    refused.add(token);
  }

  @Override
  public void file(String path) {
    files.add(path);
  }

  @Override
  public void written(String path) {
    files.add(path);
    written.add(path);
  }
}
