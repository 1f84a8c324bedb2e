package dev.pen.launcher.control;

/**
 * pen's settings that belong to the launcher rather than to the {@link dev.pen.api.Balancer}: debug level, the log
 * and statistics files, the control ACL, and pen's {@code ascii} and {@code abort_on_error}. Thread-safe: its monitor is also the lock under which the
 * {@link Interpreter} runs a command, so a command sees and changes these settings atomically.
 */
public final class Settings {
    // Read on relay and log threads for every diagnostic, so never behind the lock.
    volatile int debug;
    // Read on relay threads for every traffic dump at debug level 3.
    volatile boolean ascii;
    int controlAcl;
    boolean abortOnError;
    /** The listen address exactly as given (pen echoes it), or null. */
    String listen;
    /** The -C value exactly as given, or null. */
    String control;
    /** The -l value as given, or null when logging is off. */
    String log;
    /** The -w file, or null. */
    String webStats;
    /** The -F file, or null. */
    String configFile;
    /** What of the command line only the launcher knows, for {@code write}'s {@code # pen} line and {@code exit}. */
    private volatile CommandLine commandLine = CommandLine.NONE;

    /**
     * The options that stay the launcher's: {@code -f}, {@code -X} (which allows {@code exit}), {@code -j},
     * {@code -p} and {@code -u}, each null or false when not given.
     */
    public record CommandLine(boolean foreground, boolean exitEnabled, String chrootDir, String pidFile,
            String user) {
        public static final CommandLine NONE = new CommandLine(false, false, null, null, null);
    }

    public CommandLine commandLine() {
        return commandLine;
    }

    public void setCommandLine(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    public int debug() {
        return debug;
    }

    public void setDebug(int level) {
        this.debug = level;
    }

    public synchronized int controlAcl() {
        return controlAcl;
    }

    public boolean ascii() {
        return ascii;
    }

    /** pen's {@code abort_on_error}: a fatal error ends the process with SIGABRT (a core dump) instead of status 1. */
    public synchronized boolean abortOnError() {
        return abortOnError;
    }

    public synchronized String listen() {
        return listen;
    }

    public synchronized String control() {
        return control;
    }

    public synchronized String log() {
        return log;
    }

    public synchronized String webStats() {
        return webStats;
    }

    public synchronized String configFile() {
        return configFile;
    }

    public synchronized void setListen(String listen) {
        this.listen = listen;
    }

    public synchronized void setControl(String control) {
        this.control = control;
    }

    public synchronized void setLog(String log) {
        this.log = log;
    }

    public synchronized void setWebStats(String webStats) {
        this.webStats = webStats;
    }

    public synchronized void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    public synchronized void setAscii(boolean ascii) {
        this.ascii = ascii;
    }
}
