package io.isometry.engine;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the soak found, from three witnesses that do not depend on each other: what the engine
 * answered (a 202 or ack, a 503), the journal after the last clean stop (every record, its
 * transitions, its stderr), and the workspace (each command is {@code mkdir <its label>}, so a
 * directory is proof that it ran, and a second run fails with "File exists").
 *
 * <p>Failures, each of which makes the soak exit non-zero: an acknowledged request missing from the
 * journal, a label recorded twice, a record that ran twice, a request answered 503 that ran, a
 * directory for a request the journal never heard of, a record still live after a clean stop, a
 * record reported {@code spawn_failed} (never started) whose command ran.
 */
final class SoakVerdict {

  private static final Set<String> LIVE = Set.of("queued", "running", "suspended");

  /** One label's row in the journal. */
  private record Row(String id, String label, String state, String reason, int runs, String stderr) {
    String outcome() {
      return state + (reason == null ? "" : "/" + reason);
    }
  }

  private final Map<String, Row> byId = new HashMap<>();
  private final Map<String, Integer> rowsPerLabel = new HashMap<>();
  private final Set<String> ran = new HashSet<>();
  private final Map<String, Integer> failures = new TreeMap<>();

  private SoakVerdict(Path journal, Path workspace) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + journal);
         Statement query = db.createStatement();
         ResultSet rows = query.executeQuery("SELECT p.id, p.label, p.state, p.reason, "
             + "(SELECT count(*) FROM transitions t WHERE t.id = p.id AND t.state = 'running') AS runs, "
             + "(SELECT data FROM output o WHERE o.id = p.id AND o.stream = 'stderr') AS stderr "
             + "FROM processes p WHERE p.label LIKE 'soak-%'")) {
      while (rows.next()) {
        Row row = new Row(rows.getString("id"), rows.getString("label"), rows.getString("state"),
            rows.getString("reason"), rows.getInt("runs"), rows.getString("stderr"));
        byId.put(row.id(), row);
        rowsPerLabel.merge(row.label(), 1, Integer::sum);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal " + journal + ": " + e.getMessage(), e);
    }
    if (Files.isDirectory(workspace)) {
      try (Stream<Path> made = Files.list(workspace)) {
        made.forEach(dir -> ran.add(dir.getFileName().toString()));
      }
    }
  }

  /** Judges the soak; answers whether it failed, having printed why. */
  static boolean judge(Path journal, Path workspace, SoakClient.Answers answers, Map<String, String> beforeDegradedKill)
      throws Exception {
    return new SoakVerdict(journal, workspace).print(answers, beforeDegradedKill);
  }

  private boolean print(SoakClient.Answers answers, Map<String, String> beforeDegradedKill) {
    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, String> outcomeOfLabel = new HashMap<>();
    byId.values().forEach(row -> outcomeOfLabel.put(row.label(), row.outcome()));
    answers.acknowledged().forEach((label, id) -> {
      Row row = byId.get(id);
      if (row == null) {
        fail("acknowledged but missing from the journal", label);
        return;
      }
      String evidence = ran.contains(label) ? "ran" : "never ran";
      outcomes.merge(answers.phaseOf().get(label) + ": " + row.outcome() + " (" + evidence + ")", 1, Integer::sum);
      if (LIVE.contains(row.state())) {
        fail("still live after a clean stop", label);
      }
      if (row.runs() > 1 || (row.stderr() != null && row.stderr().contains("File exists"))) {
        fail("ran twice", label);
      }
      if ("spawn_failed".equals(row.reason()) && ran.contains(label)) {
        fail("reported spawn_failed (never started) but ran", label);
      }
      if ("succeeded".equals(row.state()) && !ran.contains(label)) {
        fail("succeeded without its directory", label);
      }
    });
    rowsPerLabel.forEach((label, count) -> {
      if (count > 1) {
        fail("recorded more than once", label);
      }
    });
    answers.unavailable().stream().filter(ran::contains).forEach(label -> fail("answered 503 but ran", label));
    ran.stream().filter(label -> !outcomeOfLabel.containsKey(label)).forEach(label -> fail("ran unrecorded", label));

    int acknowledged = answers.acknowledged().size();
    int unanswered = answers.sent().get() - acknowledged - answers.unavailable().size();
    System.out.printf("%nrequests: %d sent, %d acknowledged, %d answered 503, %d unanswered or refused otherwise "
            + "(in flight at a kill -9: %s)%n",
        answers.sent().get(), acknowledged, answers.unavailable().size(), unanswered, answers.otherAnswers());
    System.out.printf("in the journal: %d records (%d of them unacknowledged: committed, but the answer never "
        + "reached the client, or answered 503 and recorded failed/spawn_failed)%n", byId.size(),
        byId.size() - (int) answers.acknowledged().values().stream().filter(byId::containsKey).count());
    System.out.println("acknowledged records by the phase they were sent in and their final state (and whether the "
        + "workspace shows they ran):");
    outcomes.forEach((outcome, count) -> System.out.printf("  %6d  %s%n", count, outcome));
    Map<String, Integer> refusals = new TreeMap<>();
    answers.unavailable().forEach(label -> refusals.merge(answers.phaseOf().get(label) + ": "
        + outcomeOfLabel.getOrDefault(label, "not in the journal"), 1, Integer::sum));
    System.out.println("requests answered 503, by phase, as the journal has them at the end (none may have run):");
    refusals.forEach((what, count) -> System.out.printf("  %6d  %s%n", count, what));
    printDegradedKill(answers, beforeDegradedKill);
    System.out.printf("missing %d, ran twice %d, answered 503 but ran %d, recorded twice %d%n",
        failures.getOrDefault("acknowledged but missing from the journal", 0), failures.getOrDefault("ran twice", 0),
        failures.getOrDefault("answered 503 but ran", 0), failures.getOrDefault("recorded more than once", 0));
    if (failures.isEmpty()) {
      System.out.println("VERDICT: pass");
      return false;
    }
    System.out.println("VERDICT: FAIL " + failures);
    return true;
  }

  /**
   * The known limit, measured: what the feed had told a client of each record acknowledged in the
   * phase that ended with a kill -9 while the journal was degraded, against what the journal says now.
   */
  private void printDegradedKill(SoakClient.Answers answers, Map<String, String> beforeDegradedKill) {
    Set<String> ids = answers.acknowledgedIn(EngineSoak.DEGRADED_KILL);
    if (ids.isEmpty()) {
      return;
    }
    Map<String, Integer> changes = new TreeMap<>();
    for (String id : ids) {
      Row row = byId.get(id);
      String now = row == null ? "missing" : row.outcome() + (ran.contains(row.label()) ? " (ran)" : " (never ran)");
      changes.merge(beforeDegradedKill.getOrDefault(id, "(no event seen)") + " -> " + now, 1, Integer::sum);
    }
    System.out.printf("kill -9 while degraded: the %d records acknowledged in that phase, as the feed told a client "
        + "before the kill -> as the journal has them at the end:%n", ids.size());
    changes.forEach((change, count) -> System.out.printf("  %6d  %s%n", count, change));
  }

  private void fail(String what, String label) {
    if (failures.merge(what, 1, Integer::sum) <= 3) {
      System.out.printf("FAIL: %s: %s %s%n", what, label, new JsonObject().put("rows", rowsPerLabel.get(label)));
    }
  }
}
