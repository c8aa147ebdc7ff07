package io.isometry.journal;

import static io.isometry.journal.Records.record;
import static io.isometry.journal.Records.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * History search, through the FTS5 index and through the LIKE fallback on the same rows: both must
 * give the same answer (substrings of command or label, ASCII case ignored, every word, newest first).
 */
class HistorySearchTest {

  @TempDir
  Path dir;
  private Journal journal;
  private Connection fallbackConnection;

  @BeforeEach
  void fill() throws Exception {
    journal = Journal.open(dir, Records.settings());
    journal.begin();
    add("p-1", "alice", "git status", null, 1);
    add("p-2", "bob", "git log --oneline", "Release Notes", 2);
    add("p-3", "alice", "grep -R TODO src", "find todos", 3);
    add("p-4", "alice", "ls -la", null, 4);
    add("p-5", "bob", "echo 100%_done", null, 5);
    add("p-6", "alice", "echo \"quoted\" AND OR NOT", null, 6);
    journal.commit();
    fallbackConnection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
  }

  @AfterEach
  void close() throws Exception {
    fallbackConnection.close();
    journal.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void searchesMatchSubstringsOfCommandOrLabelNewestFirst(boolean fullText) throws Exception {
    assertThat(ids(fullText, "", null, 50)).containsExactly("p-6", "p-5", "p-4", "p-3", "p-2", "p-1");
    assertThat(ids(fullText, "git", null, 50)).containsExactly("p-2", "p-1");
    assertThat(ids(fullText, "tatu", null, 50)).as("a substring").containsExactly("p-1");
    assertThat(ids(fullText, "GIT LOG", null, 50)).as("every word, any case").containsExactly("p-2");
    assertThat(ids(fullText, "release", null, 50)).as("the label").containsExactly("p-2");
    assertThat(ids(fullText, "todo", null, 50)).as("command or label").containsExactly("p-3");
    assertThat(ids(fullText, "ls", null, 50)).as("a two-letter word").containsExactly("p-4");
    assertThat(ids(fullText, "-la ls", null, 50)).containsExactly("p-4");
    assertThat(ids(fullText, "nothing-like-this", null, 50)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void operatorsAndWildcardsInTheQueryAreLiteral(boolean fullText) throws Exception {
    assertThat(ids(fullText, "100%_done", null, 50)).containsExactly("p-5");
    assertThat(ids(fullText, "%", null, 50)).containsExactly("p-5");
    assertThat(ids(fullText, "_", null, 50)).containsExactly("p-5");
    assertThat(ids(fullText, "\"quoted\"", null, 50)).containsExactly("p-6");
    assertThat(ids(fullText, "AND", null, 50)).containsExactly("p-6");
    assertThat(ids(fullText, "NOT*", null, 50)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anOwnerSeesOnlyItsOwnRecordsAndTheLimitHolds(boolean fullText) throws Exception {
    assertThat(ids(fullText, "git", "alice", 50)).containsExactly("p-1");
    assertThat(ids(fullText, "", "bob", 50)).containsExactly("p-5", "p-2");
    assertThat(ids(fullText, "", null, 2)).containsExactly("p-6", "p-5");
  }

  private void add(String id, String owner, String command, String label, int second) throws Exception {
    journal.records().event(row(record(id, owner, command, "succeeded", second).put("label", label)), "at");
  }

  private List<String> ids(boolean fullText, String q, String owner, int limit) throws Exception {
    HistorySearch search = fullText ? journal.history() : new HistorySearch(fallbackConnection, false);
    assertThat(search.fullText()).isEqualTo(fullText);
    List<String> words = Arrays.stream(q.split(" ")).filter(word -> !word.isEmpty()).toList();
    return search.search(new HistoryQuery(words, owner, limit)).stream().map(record -> record.getString("id")).toList();
  }
}
