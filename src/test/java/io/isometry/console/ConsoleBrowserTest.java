package io.isometry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web console in a real headless Chromium, against a real engine. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {

  private ConsolePage page;
  private ChromeDriver driver;
  private WebDriverWait wait;

  @BeforeEach
  void start(@TempDir Path temp) throws Exception {
    assumeTrue(Browser.available(), "needs Debian's chromium and chromium-driver (scripts/test installs them)");
    page = ConsolePage.open(temp, new JsonObject());
    driver = page.driver;
    wait = page.wait;
  }

  @AfterEach
  void stop() throws Exception {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void theTokenLeavesTheAddressBarAndTheUserIsShown() {
    assertThat(driver.getCurrentUrl()).doesNotContain("token");
    assertThat(driver.findElement(By.id("who")).getText()).contains("ada");
  }

  @Test
  void aCommandRunsAndItsOutputAppearsWithStderrToldApart() {
    WebElement cell = page.run("echo hello from the console");

    wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    // The output may follow the terminal state onto the page (it was held until the run's answer came).
    wait.until(driver -> cell.findElement(By.cssSelector(".output .stdout")).getText().contains("hello from the console"));

    WebElement failing = page.run("cat no-such-file.txt");
    wait.until(ExpectedConditions.attributeToBe(failing, "data-state", "failed"));
    WebElement stderr = wait.until(driver -> failing.findElement(By.cssSelector(".output .stderr")));
    assertThat(stderr.getText()).contains("No such file");
    assertThat(failing.findElement(By.className("cell-status")).getText()).contains("exit 1");
  }

  @Test
  void aRefusedCommandShowsItsViolationsAsSentences() {
    WebElement cell = page.run("echo hi; cat /etc/shadow");

    wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "refused"));
    WebElement violation = cell.findElement(By.className("violation"));
    assertThat(violation.getText()).contains("command injection").contains(";");
  }

  @Test
  void theIndicatorCountsRunningAndBackgroundProcessesAndCancelAsksFirst() throws Exception {
    WebElement foreground = page.run("sleep 30");
    wait.until(ExpectedConditions.attributeToBe(foreground, "data-state", "running"));
    page.awaitIndicator("running");
    assertThat(page.text("running-count")).isEqualTo("1");

    driver.findElement(By.id("run-background")).click();
    WebElement background = page.run("sleep 30");
    driver.findElement(By.id("run-background")).click();
    wait.until(ExpectedConditions.attributeToBe(background, "data-state", "running"));
    wait.until(ExpectedConditions.textToBe(By.id("background-count"), "1"));

    // Through the sheet: the cancel button opens the confirmation; keeping it running changes nothing.
    driver.findElement(By.id("processes-button")).click();
    String foregroundId = foreground.getAttribute("data-id");
    By cancelButton = By.cssSelector(".process-row[data-id='" + foregroundId + "'] button.cancel");
    // Rows are updated in place: a button found before the next usage sample is still the one shown.
    WebElement cancel = wait.until(ExpectedConditions.elementToBeClickable(cancelButton));
    By meta = By.cssSelector(".process-row[data-id='" + foregroundId + "'] .meta");
    String shownBefore = driver.findElement(meta).getText();
    wait.until(d -> !d.findElement(meta).getText().equals(shownBefore));
    assertThat(cancel.isDisplayed()).as("the same button, not a stale one").isTrue();
    page.clickWhenReady(cancelButton);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-cancel")));
    page.saveScreenshot("console-confirm.png");
    driver.findElement(By.id("confirm-cancel-no")).click();
    assertThat(foreground.getAttribute("data-state")).isEqualTo("running");
    page.clickWhenReady(cancelButton);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-cancel-yes"))).click();
    wait.until(ExpectedConditions.attributeToBe(foreground, "data-state", "cancelled"));
    page.awaitIndicator("background");
    assertThat(page.text("running-count")).isEqualTo("0");
    assertThat(page.text("background-count")).isEqualTo("1");
    driver.findElement(By.id("sheet-close")).click();

    // Ctrl+C on the focused cell: the same confirmation.
    background.click();
    new org.openqa.selenium.interactions.Actions(driver)
        .keyDown(Keys.CONTROL).sendKeys("c").keyUp(Keys.CONTROL).perform();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-cancel-yes"))).click();
    wait.until(ExpectedConditions.attributeToBe(background, "data-state", "cancelled"));
    page.awaitIndicator("idle");
    assertThat(page.text("background-count")).isEqualTo("0");
  }

  @Test
  void ctrlZSuspendsTheFocusedProcess() {
    WebElement cell = page.run("sleep 30");
    wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "running"));

    cell.click();
    new org.openqa.selenium.interactions.Actions(driver)
        .keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();

    wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "suspended"));
  }

  @Test
  void historyRecallsEarlierCommands() {
    WebElement first = page.run("echo one");
    wait.until(ExpectedConditions.attributeToBe(first, "data-state", "succeeded"));
    page.run("echo two");
    WebElement input = driver.findElement(By.id("command"));

    input.sendKeys(Keys.ARROW_UP);
    assertThat(input.getAttribute("value")).isEqualTo("echo two");
    input.sendKeys(Keys.ARROW_UP);
    assertThat(input.getAttribute("value")).isEqualTo("echo one");
    input.sendKeys(Keys.ARROW_DOWN);
    assertThat(input.getAttribute("value")).isEqualTo("echo two");
  }

  @Test
  void theJournalSHistoryIsSearchedAndAResultGoesBackToThePrompt() {
    WebElement cell = page.run("echo needle in the history");
    wait.until(ExpectedConditions.attributeToBe(cell, "data-state", "succeeded"));
    driver.findElement(By.id("processes-button")).click();
    WebElement query = driver.findElement(By.id("history-query"));

    query.sendKeys("needle", Keys.ENTER);

    WebElement result = wait.until(ExpectedConditions.elementToBeClickable(By.className("history-result")));
    assertThat(result.getText()).contains("echo needle in the history").contains("succeeded");
    result.click();
    assertThat(driver.findElement(By.id("command")).getAttribute("value")).isEqualTo("echo needle in the history");
  }

  @Test
  void theConsoleFitsAPhoneAndLeavesScreenshotsForReview() throws Exception {
    WebElement done = page.run("seq 1 12");
    wait.until(ExpectedConditions.attributeToBe(done, "data-state", "succeeded"));
    page.run("cat missing.txt");
    page.run("echo $(id)");
    WebElement live = page.run("sleep 30");
    wait.until(ExpectedConditions.attributeToBe(live, "data-state", "running"));
    driver.findElement(By.id("processes-button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".process-row")));
    page.saveScreenshot("console.png");

    page.resize(390, 844);
    driver.findElement(By.id("sheet-close")).click();
    Number scrollWidth = (Number) driver.executeScript("return document.documentElement.scrollWidth");
    Number viewport = (Number) driver.executeScript("return window.innerWidth");
    assertThat(scrollWidth.intValue()).as("no sideways scrolling at phone width").isLessThanOrEqualTo(viewport.intValue());
    assertThat(driver.findElement(By.id("command")).isDisplayed()).isTrue();
    page.saveScreenshot("console-phone.png");
  }
}
