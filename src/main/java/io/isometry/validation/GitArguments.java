package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import java.util.Locale;

/**
 * Judges git repository URLs, which git reads as more than data: {@code ext::} runs the command in
 * the URL and {@code fd::} talks to descriptors of the engine, refused in any letter case; a URL
 * whose host or path starts with a dash ({@code ssh://-oProxyCommand=...}) becomes an option of
 * ssh, refused; a local URL ({@code file://}, a plain path) is a file and judged as one.
 * Configuration keys are {@link GitConfigKeys}'.
 */
final class GitArguments {

  private static final Refusal RUNS_COMMANDS = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "this git transport runs a command or reaches the engine's descriptors");
  private static final Refusal DASH_HOST = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.CRITICAL,
      "a host or path starting with '-' becomes an option of ssh");

  private GitArguments() {
  }

  /** Judges a repository URL: refusals go to the sink, a local path is handed on as a file. */
  static void url(String url, ScriptSink sink) {
    String lower = url.toLowerCase(Locale.ROOT);
    int scheme = lower.indexOf("::");
    int colonSlashes = lower.indexOf("://");
    if (scheme > 0 && (colonSlashes < 0 || scheme < colonSlashes)) {
      // <transport>::<address> runs git-remote-<transport>: ext and fd are the dangerous ones,
      // and a helper nobody allowlisted is a program nobody checked.
      sink.refuse(RUNS_COMMANDS, url.substring(0, scheme + 2));
      return;
    }
    if (colonSlashes > 0) {
      String rest = url.substring(colonSlashes + 3);
      String scheme0 = lower.substring(0, colonSlashes);
      if (scheme0.equals("file")) {
        sink.file(rest.isEmpty() ? "/" : rest);
      } else if (rest.startsWith("-") || rest.contains("/-") || userHost(rest).startsWith("-")) {
        sink.refuse(DASH_HOST, url);
      }
      return;
    }
    int colon = url.indexOf(':');
    int slash = url.indexOf('/');
    if (colon > 0 && (slash < 0 || colon < slash)) {
      // scp-like [user@]host:path
      if (userHost(url.substring(0, colon)).startsWith("-") || url.startsWith("-")
          || url.substring(colon + 1).startsWith("-")) {
        sink.refuse(DASH_HOST, url);
      }
      return;
    }
    sink.file(url);
  }

  private static String userHost(String rest) {
    int at = rest.indexOf('@');
    int slash = rest.indexOf('/');
    return at >= 0 && (slash < 0 || at < slash) ? rest.substring(at + 1) : rest;
  }
}
