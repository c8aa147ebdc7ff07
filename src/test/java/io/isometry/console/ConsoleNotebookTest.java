package io.isometry.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineFixture;
import io.isometry.testing.EngineRest;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The notebook across reloads, the process sheet beside it, and the header's counts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleNotebookTest {

  /** Prints a numbered line every 100 ms for about three seconds. */
  private static final String TICKER = """
      import sys, time
      for n in range(30):
          print("tick", n, flush=True)
          time.sleep(0.1)
      """;

  private ConsolePage page;

  @BeforeEach
  void start(@TempDir Path temp) throws Exception {
    page = ConsolePage.openAtDesktop(temp);
  }

  @AfterEach
  void stop() throws Exception {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void aReloadKeepsTheCellsWithTheirOutputAndRefusals() {
    page.runUntil("echo kept across a reload", "succeeded");
    page.runUntil("echo hi; cat /etc/shadow", "refused");
    String session = sessionId();

    page.driver.navigate().refresh();
    page.awaitIndicator("idle");

    assertThat(sessionId()).isEqualTo(session);
    List<WebElement> cells = page.wait.until(d -> {
      List<WebElement> found = d.findElements(By.className("cell"));
      return found.size() == 2 ? found : null;
    });
    page.wait.until(ExpectedConditions.attributeToBe(cells.get(0), "data-state", "succeeded"));
    page.wait.until(ExpectedConditions.textToBePresentInElement(cells.get(0).findElement(By.className("output")),
        "kept across a reload"));
    assertThat(cells.get(0).findElement(By.className("command")).getText()).isEqualTo("echo kept across a reload");
    assertThat(cells.get(1).getAttribute("data-state")).isEqualTo("refused");
    assertThat(cells.get(1).findElement(By.className("violation")).getText()).contains("command injection");
  }

  @Test
  void aBackgroundProcessSOutputOpensFromTheSheet() throws Exception {
    String script = EngineFixture.script(page.config, ConsolePage.PRINCIPAL, "ticker.py", TICKER);
    EngineRest rest = new EngineRest(page.port, ConsolePage.TOKEN);
    HttpResponse<String> submitted = rest.send(rest.request("/api/v1/processes").POST(HttpRequest.BodyPublishers.ofString(
        new JsonObject().put("command", "python3 " + script).put("background", true).encode())));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String id = new JsonObject(submitted.body()).getString("id");

    page.driver.findElement(By.id("processes-button")).click();
    page.clickWhenReady(By.cssSelector(".process-row[data-id='" + id + "'] button.open-output"));

    WebElement cell = page.wait.until(d -> d.findElements(By.cssSelector(".cell[data-id='" + id + "']"))
        .stream().findFirst().orElse(null));
    page.wait.until(ExpectedConditions.textToBePresentInElement(cell.findElement(By.className("output")), "tick 29"));
    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    // Every line once, in order: the retained part and the live part joined by byte offset.
    String[] expected = IntStream.range(0, 30).mapToObj(n -> "tick " + n).toArray(String[]::new);
    assertThat(cell.findElement(By.className("output")).getText().split("\n")).containsExactly(expected);
  }

  @Test
  void theHeaderCountsSuspendedProcessesAndIconsAreDrawnNotTyped() {
    WebElement cell = page.run("sleep 30");
    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "running"));
    cell.click();
    new Actions(page.driver).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();

    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "suspended"));
    page.awaitIndicator("suspended");
    assertThat(page.text("suspended-count")).isEqualTo("1");
    assertThat(page.text("running-count")).isEqualTo("0");
    assertThat(page.text("background-count")).isEqualTo("0");
    page.driver.findElement(By.id("processes-button")).click();
    WebElement icon = page.wait.until(d -> d.findElements(By.cssSelector(".process-row[data-state='suspended'] .state-icon"))
        .stream().findFirst().orElse(null));
    assertThat(icon.findElements(By.cssSelector("svg.icon-suspended"))).hasSize(1);
    assertThat(icon.getText()).isEmpty();
    assertThat(cell.findElements(By.cssSelector(".cell-status svg.icon-suspended"))).hasSize(1);
  }

  @Test
  void theOpenSheetLeavesThePromptUsableAtDesktopWidthAndCoversThePhone() throws Exception {
    page.runUntil("seq 1 5", "succeeded");
    WebElement live = page.run("sleep 30");
    page.wait.until(ExpectedConditions.attributeToBe(live, "data-state", "running"));
    page.driver.findElement(By.id("processes-button")).click();
    page.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".process-row")));

    for (String control : List.of("command", "run-input", "run-background", "run")) {
      assertThat(reachable(control)).as(control + " is not under the sheet").isTrue();
    }
    page.driver.findElement(By.id("command")).sendKeys("echo typed beside the sheet", Keys.ENTER);
    page.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".cell:last-of-type .output"),
        "typed beside the sheet"));
    page.saveScreenshot("console-sheet-desktop.png");

    page.resize(390, 844);
    Number scrollWidth = (Number) page.script("return document.documentElement.scrollWidth");
    Number viewport = (Number) page.script("return window.innerWidth");
    assertThat(scrollWidth.intValue()).as("no sideways scrolling at phone width").isLessThanOrEqualTo(viewport.intValue());
    page.saveScreenshot("console-sheet-phone.png");
    page.driver.findElement(By.id("sheet-close")).click();
    assertThat(reachable("run")).isTrue();
    page.saveScreenshot("console-notebook-phone.png");
  }

  /** Whether a click at the middle of the element would reach it (or its label), not something above it. */
  private boolean reachable(String id) {
    return (Boolean) page.script("""
        const target = document.getElementById(arguments[0]);
        const box = target.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return hit !== null && (target === hit || target.contains(hit) || [...target.labels].some((l) => l.contains(hit)));
        """, id);
  }

  private String sessionId() {
    return String.valueOf(page.script("return sessionStorage.getItem('isometry.session')"));
  }
}
