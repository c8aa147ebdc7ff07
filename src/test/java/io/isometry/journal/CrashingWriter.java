package io.isometry.journal;

import static io.isometry.journal.Records.plan;
import static io.isometry.journal.Records.record;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The child of {@link JournalCrashTest}: accepts records through the writer from several threads,
 * forever, and prints {@code ack <id>} (flushed) after each acknowledgement, until it is killed.
 */
public final class CrashingWriter {

  private static final int THREADS = 4;

  private CrashingWriter() {
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    JournalWriter writer = new JournalWriter(() -> Journal.open(dataDir, Records.settings()),
        new JournalMetrics(new SimpleMeterRegistry()));
    writer.opened().get(30, TimeUnit.SECONDS);
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      new Thread(() -> accept(writer, out, thread)).start();
    }
  }

  private static void accept(JournalWriter writer, PrintStream out, int thread) {
    for (int i = 0; ; i++) {
      String id = "p-" + thread + "-" + i;
      RecordRow row = RecordRow.from(record(id, "alice", "echo " + i, "queued", i));
      String plan = plan("echo " + i).encode();
      writer.submit(journal -> journal.records().accept(row, plan, false, null, "at")).join();
      synchronized (out) {
        out.println("ack " + id);
        out.flush();
      }
    }
  }
}
