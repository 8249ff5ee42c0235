package dev.chl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver, given by path so Selenium never downloads one),
 * with the waits and screenshots the console's end-to-end tests need. Screenshots land in target/screenshots.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Selenium warns on every start that it has no DevTools binding for this exact Chromium version; the tests use
     * WebDriver only, so the warning is noise. Held here so the logger (and its level) is not garbage-collected.
     */
    private static final java.util.logging.Logger CDP_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install chromium chromium-driver (./chl test and .ci/run install them when run as root)");
        }
        try {
            profile = Files.createTempDirectory("chl-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Flags that work headless on these machines; without the background-networking ones Chromium keeps trying
        // to reach Google's hosts, which this closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    /** A desktop-sized window (1280 px wide). */
    public static Browser open() {
        return new Browser(1280, 900);
    }

    public static Browser open(int width, int height) {
        return new Browser(width, height);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Browser go(String url) {
        driver.get(url);
        return this;
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    /** Waits until an element matching {@code css} is visible, and returns it. */
    public WebElement visible(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /**
     * Waits until the element matching {@code css} contains {@code text}. Driver errors while the page is being
     * replaced (a form post navigating: "node does not belong to the document") count as "not yet".
     */
    public WebElement text(String css, String text) {
        new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.WebDriverException.class)
                .withMessage(() -> "'" + css + "' to contain '" + text + "'; page is " + driver.getCurrentUrl() + ": " + bodyText())
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * Whether the element matching {@code css} is enabled, read in one script call: on a live page the element can be
     * swapped between finding it and asking it (a stale reference).
     */
    public boolean enabled(String css) {
        visible(css);
        return Boolean.TRUE.equals(script("const e = document.querySelector(arguments[0]); return !!e && !e.disabled;", css));
    }

    /** The visible text of the element matching {@code css}, read in one script call (see {@link #enabled}). */
    public String textOf(String css) {
        visible(css);
        return String.valueOf(script("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;", css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Clicks the element matching {@code css}; a live fragment swapped in meanwhile is found again, not failed on. */
    public void click(String css) {
        new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    public void type(String css, String text) {
        WebElement field = visible(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Picks a file for a file input (hidden or not). */
    public void attach(String css, Path file) {
        driver.findElement(By.cssSelector(css)).sendKeys(file.toAbsolutePath().toString());
    }

    /** Accepts the confirmation dialog a destructive action asks (hx-confirm), returning its text. */
    public String confirm() {
        Alert alert = new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent());
        String text = alert.getText();
        alert.accept();
        return text;
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    public String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no body)";
        }
    }

    /** Saves a screenshot of the whole page as target/screenshots/{name}.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scrolls the element matching {@code css} into the middle of the window, then saves a screenshot. */
    public Path screenshot(String name, String css) {
        script("arguments[0].scrollIntoView({block: 'center'})", visible(css));
        return screenshot(name);
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** What the page logged at SEVERE level (script errors, CSP violations, failed loads) since the last call. */
    public List<String> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /** Script errors and Content-Security-Policy violations the page logged (failed requests are expected in tests). */
    public List<String> scriptProblems() {
        return severeLogs().stream().filter(m -> m.contains("Content Security Policy") || m.contains("Uncaught")
                || m.contains("Refused to")).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            TempDirs.deleteQuietly(profile);
        }
    }
}
