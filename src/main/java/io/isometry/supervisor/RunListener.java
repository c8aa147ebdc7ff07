package io.isometry.supervisor;

import io.isometry.contract.Stream;

/** What a {@link ProcessRun} tells the actor that composes it (on the actor's context). */
interface RunListener {

  /** It is running: its child was launched. */
  void running(ProcessRun run);

  /** Its record changed in a way subscribers see (suspended, resumed, moved to the background). */
  void changed(ProcessRun run);

  /** A chunk of its output was kept; {@code offset} is where it starts in the stream. */
  void output(ProcessRun run, Stream stream, long offset, OutputChunk chunk);

  /** Its record is final: it leaves the live set (and its slot, if it held one). */
  void ended(ProcessRun run);
}
