package io.kestra.upgrade.coordinator.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, through Debian's chromedriver: both named by path, so that Selenium
 * Manager never downloads a browser or a driver. Screenshots go to {@code target/dashboard/}.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOTS = Path.of("target", "dashboard");

  final ChromeDriver driver;

  Browser() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: the tests may run as root, where chromium's sandbox refuses to start
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
    this.driver = new ChromeDriver(service, options);
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * A wait that looks again when the page re-rendered what it found: the dashboard replaces its
   * timeline's elements as events come, so an element found may be gone when it is read.
   */
  private WebDriverWait waiting(int seconds) {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Waits up to {@code seconds} for an element matching {@code css}: that element. */
  WebElement await(String css, int seconds) {
    return waiting(seconds)
        .until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
  }

  /**
   * Waits up to {@code seconds} for an element matching {@code css} whose text has {@code text}.
   */
  WebElement awaitText(String css, String text, int seconds) {
    return waiting(seconds)
        .until(
            d ->
                d.findElements(By.cssSelector(css)).stream()
                    .filter(e -> e.getText().contains(text))
                    .findFirst()
                    .orElse(null));
  }

  /** The text of the element matching {@code css} now, read again if the page re-rendered it. */
  String text(String css) {
    return waiting(10).until(d -> d.findElement(By.cssSelector(css)).getText());
  }

  /**
   * The texts of the elements matching {@code css} now, read again if the page re-rendered them.
   */
  List<String> texts(String css) {
    return waiting(10)
        .until(d -> d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Saves a screenshot as {@code target/dashboard/NAME.png}: its path. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Path to = SCREENSHOTS.resolve(name + ".png");
      Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
