package io.isometry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.testing.EngineFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** How output reads in a cell: colours, lines rewritten in place, HTML as text, a bounded page. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleOutputTest {

  /** The test engine's commands, and printf, which the colour and progress tests print with. */
  static final JsonObject WITH_PRINTF = new JsonObject().put("security", new JsonObject().put("allowedCommands",
      new JsonArray(List.of("echo", "true", "false", "sleep", "seq", "cat", "ls", "python3", "printf"))));

  /** Splits an escape sequence across two writes and draws a progress bar with \r and CSI K. */
  private static final String SPLIT_AND_PROGRESS = """
      import sys, time
      out = sys.stdout
      out.write("\\x1b[3"); out.flush(); time.sleep(0.3)
      out.write("1mred\\x1b[0m after\\n"); out.flush()
      for percent in range(0, 101, 25):
          out.write("\\rprogress %3d%%\\x1b[K" % percent); out.flush(); time.sleep(0.1)
      out.write("\\n")
      """;

  private ConsolePage page;

  @BeforeEach
  void start(@TempDir Path temp) throws Exception {
    assumeTrue(Browser.available(), "needs Debian's chromium and chromium-driver (scripts/test installs them)");
    page = ConsolePage.open(temp, WITH_PRINTF);
  }

  @AfterEach
  void stop() throws Exception {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void coloursAreRenderedAndCarriageReturnsRewriteTheLine() throws Exception {
    WebElement coloured = page.runUntil(
        "printf '\\033[1;32mgreen\\033[0m \\033[38;5;196mred\\033[0m \\033[38;2;10;20;30;48;5;231mdeep\\033[0m\\n'",
        "succeeded");
    WebElement green = awaitSpan(coloured, "green");
    assertThat(green.getCssValue("color")).isEqualTo("rgba(152, 195, 121, 1)");
    assertThat(green.getCssValue("font-weight")).isEqualTo("700");
    assertThat(awaitSpan(coloured, "red").getCssValue("color")).isEqualTo("rgba(255, 0, 0, 1)");
    WebElement deep = awaitSpan(coloured, "deep");
    assertThat(deep.getCssValue("color")).isEqualTo("rgba(10, 20, 30, 1)");
    assertThat(deep.getCssValue("background-color")).isEqualTo("rgba(255, 255, 255, 1)");
    assertThat(outputText(coloured)).isEqualTo("green red deep").doesNotContain("\u001b").doesNotContain("[0m");

    WebElement overwritten = page.runUntil("printf 'a\\rb\\rc\\n'", "succeeded");
    page.wait.until(d -> outputText(overwritten).equals("c"));
    assertThat(lines(overwritten)).hasSize(1);
    page.saveScreenshot("console-colours.png");
  }

  @Test
  void anEscapeSplitAcrossChunksAndAProgressBarEndAsTwoClearLines() throws Exception {
    String script = EngineFixture.script(page.config, ConsolePage.PRINCIPAL, "progress.py", SPLIT_AND_PROGRESS);
    WebElement cell = page.runUntil("python3 " + script, "succeeded");

    page.wait.until(d -> outputText(cell).equals("red after\nprogress 100%"));
    assertThat(awaitSpan(cell, "red").getCssValue("color")).isEqualTo("rgba(224, 108, 117, 1)");
    assertThat(lines(cell)).hasSize(2);
  }

  @Test
  void htmlInOutputIsShownAsText() {
    String html = "<b>bold</b> <img src=x onerror=document.title='owned'>";
    WebElement cell = page.runUntil("echo \"" + html + "\"", "succeeded");

    page.wait.until(d -> outputText(cell).equals(html));
    assertThat(cell.findElements(By.cssSelector(".output b, .output img"))).isEmpty();
    assertThat(page.driver.getTitle()).isEqualTo("Isometry");
  }

  @Test
  void largeOutputKeepsABoundedPageAndShowsEarlierLinesOnRequest() {
    WebElement cell = page.runUntil("seq 1 200000", "succeeded");

    page.wait.until(d -> lastLine(cell).equals("200000"));
    assertThat(lineCount(cell)).isBetween(1000L, 2000L);
    int firstShown = Integer.parseInt(firstLine(cell));
    WebElement earlier = cell.findElement(By.className("earlier"));
    assertThat(earlier.getText()).contains("earlier lines not shown");

    earlier.findElement(By.className("show-earlier")).click();
    page.wait.until(d -> lineCount(cell) > 2000);
    assertThat(lineCount(cell)).isLessThanOrEqualTo(4000L);
    assertThat(Integer.parseInt(firstLine(cell))).isLessThan(firstShown);
    assertThat(lastLine(cell)).isEqualTo("200000");

    String console = page.driver.getWindowHandle();
    earlier.findElement(By.className("full-text")).click();
    String tab = page.wait.until(d -> d.getWindowHandles().stream().filter(h -> !h.equals(console)).findFirst().orElse(null));
    page.driver.switchTo().window(tab);
    String full = page.wait.until(d -> {
      String text = d.findElement(By.tagName("body")).getText();
      return text.endsWith("200000") ? text : null;
    });
    String[] fullLines = full.split("\n");
    assertThat(fullLines.length).as("the whole retained output, far more than the cell shows").isGreaterThan(100_000);
    assertThat(Integer.parseInt(fullLines[1]) + 1).isEqualTo(Integer.parseInt(fullLines[2]));
    page.driver.close();
    page.driver.switchTo().window(console);
  }

  private WebElement awaitSpan(WebElement cell, String text) {
    return page.wait.until(d -> cell.findElements(By.xpath(".//div[@class='output']//span[text()='" + text + "']"))
        .stream().findFirst().orElse(null));
  }

  private static String outputText(WebElement cell) {
    return cell.findElement(By.className("output")).getText();
  }

  private static List<WebElement> lines(WebElement cell) {
    return cell.findElements(By.cssSelector(".output .line:not(:empty)"));
  }

  private long lineCount(WebElement cell) {
    return (Long) page.script("return arguments[0].querySelectorAll('.output .line').length;", cell);
  }

  private String firstLine(WebElement cell) {
    return String.valueOf(page.script("return arguments[0].querySelector('.output .line').textContent;", cell));
  }

  private String lastLine(WebElement cell) {
    return String.valueOf(page.script("const lines = arguments[0].querySelectorAll('.output .line:not(:empty)');"
        + "return lines.length ? lines[lines.length - 1].textContent : '';", cell));
  }
}
