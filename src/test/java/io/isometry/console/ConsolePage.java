package io.isometry.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.engine.EngineVerticle;
import io.isometry.testing.Await;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real engine and the console open on it in a real headless Chromium, signed in as {@code ada}
 * (admin), with the small vocabulary the browser tests speak: run a command, await the indicator,
 * take a screenshot. Public for {@code bench/ConsoleBench}.
 */
public final class ConsolePage implements AutoCloseable {

  public static final String TOKEN = "console-test-token-0123456789";
  public static final String PRINCIPAL = "ada";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  public final JsonObject config;
  public final ChromeDriver driver;
  public final WebDriverWait wait;
  public final int port;
  private final Vertx vertx;
  private final Browser browser;

  private ConsolePage(JsonObject config, Vertx vertx, int port, Browser browser) {
    this.config = config;
    this.vertx = vertx;
    this.port = port;
    this.browser = browser;
    this.driver = browser.driver();
    this.wait = new WebDriverWait(driver, PATIENCE);
  }

  /**
   * The page most browser tests start from: the test configuration, the console open at desktop
   * size. A machine without Chromium skips the test, saying why.
   */
  public static ConsolePage openAtDesktop(Path temp) throws Exception {
    assumeTrue(Browser.available(), "needs Debian's chromium and chromium-driver (scripts/test installs them)");
    ConsolePage page = open(temp, new JsonObject());
    page.resize(1280, 800);
    return page;
  }

  /** Starts an engine with {@code overrides} on the test configuration and opens the console on it. */
  public static ConsolePage open(Path temp, JsonObject overrides) throws Exception {
    JsonObject config = EngineFixture.config(temp, new JsonObject()
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", TOKEN).put("principal", PRINCIPAL).put("role", "admin"))))
        .put("http", new JsonObject().put("tcpBridgePort", -1))
        .mergeIn(overrides, true));
    Vertx vertx = Vertx.vertx();
    Browser browser = null;
    try {
      EngineVerticle engine = EngineFixture.deploy(vertx, config).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      browser = Browser.start();
      ConsolePage page = new ConsolePage(config, vertx, engine.httpPort(), browser);
      page.driver.get("http://127.0.0.1:" + page.port + "/?token=" + TOKEN);
      page.awaitIndicator("idle");
      return page;
    } catch (Exception | AssertionError e) {
      if (browser != null) {
        browser.close();
      }
      Await.result(vertx.close());
      throw e;
    }
  }

  /** Types a command into the prompt and answers its cell. */
  public WebElement run(String command) {
    int before = driver.findElements(By.className("cell")).size();
    driver.findElement(By.id("command")).sendKeys(command, Keys.ENTER);
    return wait.until((WebDriver d) -> {
      var cells = d.findElements(By.className("cell"));
      return cells.size() > before ? cells.get(cells.size() - 1) : null;
    });
  }

  /** Runs a command and waits for it to end in {@code state}. */
  public WebElement runUntil(String command, String state) {
    WebElement cell = run(command);
    wait.until(ExpectedConditions.attributeToBe(cell, "data-state", state));
    return cell;
  }

  public void awaitIndicator(String state) {
    wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state));
  }

  public String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  public void resize(int width, int height) {
    browser.resize(width, height);
  }

  public Object script(String script, Object... arguments) {
    return driver.executeScript(script, arguments);
  }

  public void saveScreenshot(String name) throws Exception {
    Path target = Files.createDirectories(Path.of("target"));
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target.resolve(name),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Clicks what {@code target} finds as soon as it takes the click. The process sheet redraws its rows
   * as events come (usage every 2 s), so a row's button found a moment ago may be gone: find it again.
   */
  public void clickWhenReady(By target) {
    new WebDriverWait(driver, PATIENCE)
        .ignoring(StaleElementReferenceException.class)
        .ignoring(ElementNotInteractableException.class)
        .until(page -> {
          page.findElement(target).click();
          return true;
        });
  }

  @Override
  public void close() throws Exception {
    try {
      browser.close();
    } finally {
      Await.result(vertx.close());
    }
  }
}
