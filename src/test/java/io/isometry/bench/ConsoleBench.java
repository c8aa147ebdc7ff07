package io.isometry.bench;

import io.isometry.console.Browser;
import io.isometry.console.ConsolePage;
import io.isometry.testing.EngineRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code scripts/bench-console}: the web console in headless Chromium against an engine in this JVM,
 * running {@code seq 1 N} in a cell at desktop size. For each N it prints how long after the process
 * ended (the record's {@code endedAt}) the cell showed "succeeded" and drew the last line, the longest
 * gap between two animation frames while the output streamed (how long the page could not respond),
 * the longest task Chromium saw, the lines in the DOM at the end and the JS heap. Asserts nothing.
 */
public final class ConsoleBench {

  private static final int[] SIZES = {100_000, 200_000, 1_000_000};
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  /** Watches the page: frame gaps and long tasks from now on, and when the cell ended and drew its last line. */
  private static final String WATCH = """
      const cell = arguments[0];
      const last = arguments[1];
      const watch = { longestGap: 0, longestTask: 0, shownAt: 0, drawnAt: 0 };
      window.benchWatch = watch;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          watch.longestTask = Math.max(watch.longestTask, entry.duration);
        }
      }).observe({ type: 'longtask' });
      let previous = performance.now();
      const frame = (now) => {
        watch.longestGap = Math.max(watch.longestGap, now - previous);
        previous = now;
        if (!watch.shownAt && cell.dataset.state === 'succeeded') {
          watch.shownAt = Date.now();
        }
        const lines = cell.querySelectorAll('.output .line:not(:empty)');
        if (!watch.drawnAt && lines.length && lines[lines.length - 1].textContent === last) {
          watch.drawnAt = Date.now();
        }
        if (!watch.shownAt || !watch.drawnAt) {
          requestAnimationFrame(frame);
        }
      };
      requestAnimationFrame(frame);
      """;

  private ConsoleBench() {
  }

  public static void main(String[] args) throws Exception {
    if (!Browser.available()) {
      System.err.println("needs /usr/bin/chromium and /usr/bin/chromedriver");
      System.exit(2);
    }
    Path root = Files.createTempDirectory("isometry-bench-console");
    try (ConsolePage page = ConsolePage.open(root, new JsonObject())) {
      page.resize(1280, 800);
      EngineRest rest = new EngineRest(page.port, ConsolePage.TOKEN);
      measure(page, rest, 20_000, true);
      System.out.printf("%-10s %12s %14s %16s %15s %15s %10s %10s%n", "lines", "process ms", "succeeded +ms",
          "last line +ms", "longest gap ms", "longest task", "DOM lines", "heap MiB");
      for (int size : SIZES) {
        measure(page, rest, size, false);
      }
    }
  }

  private static void measure(ConsolePage page, EngineRest rest, int size, boolean warmUp) throws Exception {
    int before = page.driver.findElements(By.className("cell")).size();
    page.driver.findElement(By.id("command")).sendKeys("seq 1 " + size + "\n");
    WebDriverWait wait = new WebDriverWait(page.driver, PATIENCE);
    WebElement cell = wait.until(d -> {
      var cells = d.findElements(By.className("cell"));
      return cells.size() > before ? cells.get(cells.size() - 1) : null;
    });
    page.script(WATCH, cell, String.valueOf(size));
    wait.until(d -> cell.getAttribute("data-id") != null);
    @SuppressWarnings("unchecked")
    Map<String, Object> watch = (Map<String, Object>) wait.until(
        d -> page.script("return window.benchWatch.shownAt && window.benchWatch.drawnAt ? window.benchWatch : null"));
    JsonObject record = rest.get("/api/v1/processes/" + cell.getAttribute("data-id"));
    long ended = Instant.parse(record.getString("endedAt")).toEpochMilli();
    long domLines = (Long) page.script("return arguments[0].querySelectorAll('.output .line').length", cell);
    Number heap = (Number) page.script("return performance.memory ? performance.memory.usedJSHeapSize : 0");
    if (warmUp) {
      return;
    }
    System.out.printf("%-10d %12d %14.0f %16.0f %15.0f %15.0f %10d %10.1f%n", size, record.getLong("durationMs"),
        number(watch, "shownAt") - ended, number(watch, "drawnAt") - ended, number(watch, "longestGap"),
        number(watch, "longestTask"), domLines, heap.doubleValue() / (1 << 20));
  }

  private static double number(Map<String, Object> watch, String key) {
    return ((Number) watch.get(key)).doubleValue();
  }
}
