package io.isometry.cli;

import io.isometry.contract.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What {@code run -i} and {@code -t} do with this terminal: its stdin goes to the process's stdin
 * (over REST, so a reconnect of the feed does not touch it) as it is typed, and its end as the
 * process's end of input; with {@code -t} this terminal's size goes with the run, and, when it is a
 * terminal, it is put in raw mode meanwhile, so that every key (Ctrl+C too) reaches the process's
 * terminal as typed, as over {@code ssh -t}.
 */
final class TerminalInput {

  private static final File TTY = new File("/dev/tty");
  private static final long FULL_RETRY_MS = 50;

  private final EngineClient engine;
  private String savedMode;

  TerminalInput(EngineClient engine) {
    this.engine = engine;
  }

  /** This terminal's {@code [cols, rows]}, or null when stdin is not a terminal. */
  static int[] size() {
    String size = stty("size");
    if (size == null) {
      return null;
    }
    String[] rowsCols = size.trim().split("\\s+");
    try {
      return new int[] {Integer.parseInt(rowsCols[1]), Integer.parseInt(rowsCols[0])};
    } catch (RuntimeException notASize) {
      return null;
    }
  }

  /** Raw mode, no echo (the process's terminal echoes); a terminal that is not one is left as it is. */
  void raw() {
    savedMode = stty("-g");
    if (savedMode != null) {
      stty("raw", "-echo");
    }
  }

  /** This terminal as it was. */
  void restore() {
    if (savedMode != null) {
      stty(savedMode.trim());
      savedMode = null;
    }
  }

  /** Forwards {@code in} to process {@code id}'s stdin on a daemon thread, until its end or the process's. */
  void forward(InputStream in, String id) {
    Thread forwarder = new Thread(() -> copy(in, id), "isometry-stdin");
    forwarder.setDaemon(true);
    forwarder.start();
  }

  private void copy(InputStream in, String id) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    byte[] buffer = new byte[8192];
    ByteBuffer pending = ByteBuffer.allocate(buffer.length + 8);
    try {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        pending.put(buffer, 0, read).flip();
        CharBuffer text = CharBuffer.allocate(pending.remaining());
        // A character cut at the end of a read stays in pending for the next.
        decoder.decode(pending, text, false);
        pending.compact();
        if (text.position() > 0 && !send(id, new JsonObject().put("data", text.flip().toString()))) {
          return;
        }
      }
      send(id, new JsonObject().put("eof", true));
    } catch (IOException closed) {
      // This terminal's stdin is gone: the process is told nothing more.
    }
  }

  /** Sends one write, again while the process's input is full; false once it takes no more. */
  private boolean send(String id, JsonObject body) {
    while (true) {
      try {
        engine.post("/processes/" + EngineClient.encode(id) + "/stdin", body);
        return true;
      } catch (CliFailure refused) {
        if (!refused.getMessage().startsWith(ErrorCode.STDIN_FULL.wire())) {
          return false;
        }
        try {
          Thread.sleep(FULL_RETRY_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /** Runs {@code stty} on this terminal; its output, or null when there is no terminal (or no stty). */
  private static String stty(String... arguments) {
    if (System.console() == null || !TTY.canRead()) {
      return null;
    }
    String[] command = new String[arguments.length + 1];
    command[0] = "stty";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    try {
      Process stty = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return stty.waitFor(5, TimeUnit.SECONDS) && stty.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
