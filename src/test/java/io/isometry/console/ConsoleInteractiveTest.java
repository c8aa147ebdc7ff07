package io.isometry.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineFixture;
import io.isometry.testing.EngineRest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openqa.selenium.support.ui.Select;

/** Processes that read input: a pipe fed from a cell's input line, and a terminal fed from the keyboard. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleInteractiveTest {

  private static final String ASKS = """
      import sys
      name = input("name? ")
      print("hello, " + name, flush=True)
      rest = sys.stdin.read()
      print(len(rest.splitlines()), "more lines")
      """;

  private static final String TERMINAL = """
      import os, signal, sys
      print("tty", sys.stdin.isatty(), sys.stdout.isatty(), flush=True)
      print("size", *os.get_terminal_size(), flush=True)
      signal.signal(signal.SIGWINCH, lambda *_: print("resized", *os.get_terminal_size(), flush=True))
      print("got", input("> "), flush=True)
      """;

  /** Prints a numbered line every 200 ms for eight seconds. */
  private static final String TICKER = """
      import time
      for n in range(40):
          print("tick", n, flush=True)
          time.sleep(0.2)
      """;

  private static final String WAITS = """
      import time
      try:
          print("waiting", flush=True)
          time.sleep(30)
      except KeyboardInterrupt:
          print("interrupted", flush=True)
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
  void aScriptReadsLinesFromTheInputLineUntilEof() throws Exception {
    String script = EngineFixture.script(page.config, ConsolePage.PRINCIPAL, "asks.py", ASKS);
    inputMode("stdin");
    WebElement cell = page.run("python3 " + script);
    awaitOutput(cell, "name? ");
    WebElement line = cell.findElement(By.cssSelector(".input-line input"));

    line.sendKeys("Ada", Keys.ENTER);
    awaitOutput(cell, "hello, Ada");
    line.sendKeys("one", Keys.ENTER);
    line.sendKeys("two", Keys.ENTER);
    cell.findElement(By.cssSelector(".input-line button.eof")).click();

    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    awaitOutput(cell, "2 more lines");
    assertThat(output(cell)).startsWith("name? Ada\nhello, Ada\none\ntwo\n");
    assertThat(cell.findElements(By.className("input-line"))).as("no input line once it ended").isEmpty();
  }

  @Test
  void aTerminalScriptSeesATtyOfTheCellSSizeAndTakesTypedKeys() throws Exception {
    String script = EngineFixture.script(page.config, ConsolePage.PRINCIPAL, "terminal.py", TERMINAL);
    inputMode("tty");
    WebElement cell = page.run("python3 " + script);
    awaitOutput(cell, "> ");
    JsonObject record = new EngineRest(page.port, ConsolePage.TOKEN).get("/api/v1/processes/" + cell.getAttribute("data-id"));
    int cols = record.getInteger("cols");
    assertThat(record.getBoolean("tty")).isTrue();
    assertThat(cols).as("a 1280 px wide cell holds far more than 80 columns").isGreaterThan(100);
    assertThat(output(cell)).contains("tty True True", "size " + cols + " " + record.getInteger("rows"));

    page.resize(700, 800);
    page.wait.until(d -> output(cell).contains("resized "));
    // Printed after the "> " prompt, on its line.
    Matcher resized = Pattern.compile("resized (\\d+) (\\d+)").matcher(output(cell));
    assertThat(resized.find()).isTrue();
    assertThat(Integer.parseInt(resized.group(1))).isLessThan(cols);

    focus(cell);
    new Actions(page.driver).sendKeys("typed keys").sendKeys(Keys.ENTER).perform();
    awaitOutput(cell, "got typed keys");
    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    page.saveScreenshot("console-terminal-narrow.png");
  }

  @Test
  void ctrlCInATerminalCellInterruptsTheScriptWithoutTheCancelDialog() throws Exception {
    String script = EngineFixture.script(page.config, ConsolePage.PRINCIPAL, "waits.py", WAITS);
    inputMode("tty");
    WebElement cell = page.run("python3 " + script);
    awaitOutput(cell, "waiting");

    focus(cell);
    new Actions(page.driver).keyDown(Keys.CONTROL).sendKeys("c").keyUp(Keys.CONTROL).perform();

    awaitOutput(cell, "interrupted");
    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    assertThat(page.driver.findElement(By.id("confirm-cancel")).isDisplayed()).isFalse();
    page.saveScreenshot("console-terminal.png");
  }

  @Test
  void aReloadKeepsTheRunningForegroundProcessAndFollowsItsOutput() throws Exception {
    String script = EngineFixture.script(page.config, ConsolePage.PRINCIPAL, "ticker.py", TICKER);
    WebElement before = page.run("python3 " + script);
    awaitOutput(before, "tick 2");
    String id = before.getAttribute("data-id");

    page.driver.navigate().refresh();

    WebElement cell = page.wait.until(d -> d.findElements(By.cssSelector(".cell[data-id='" + id + "']"))
        .stream().findFirst().orElse(null));
    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    awaitOutput(cell, "tick 39");
    // Every line once, in order: what was retained before the reload and what came live after it.
    String[] expected = IntStream.range(0, 40).mapToObj(n -> "tick " + n).toArray(String[]::new);
    assertThat(output(cell).strip().split("\n")).containsExactly(expected);
  }

  @Test
  void aLiveForegroundProcessTheTabForgotComesBackFromTheSession() {
    WebElement before = page.run("sleep 30");
    page.wait.until(ExpectedConditions.attributeToBe(before, "data-state", "running"));
    String id = before.getAttribute("data-id");
    page.script("sessionStorage.removeItem('isometry.cells')");

    page.driver.navigate().refresh();

    WebElement cell = page.wait.until(d -> d.findElements(By.cssSelector(".cell[data-id='" + id + "']"))
        .stream().findFirst().orElse(null));
    page.wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "running"));
    assertThat(cell.findElement(By.className("command")).getText()).isEqualTo("sleep 30");
  }

  private void inputMode(String mode) {
    new Select(page.driver.findElement(By.id("run-input"))).selectByValue(mode);
  }

  /** Gives the cell the focus without clicking into its output (a click there could select text). */
  private void focus(WebElement cell) {
    page.script("arguments[0].focus()", cell);
  }

  private void awaitOutput(WebElement cell, String text) {
    page.wait.until(d -> output(cell).contains(text));
  }

  private String output(WebElement cell) {
    return String.valueOf(page.script("return arguments[0].querySelector('.output').innerText", cell));
  }
}
