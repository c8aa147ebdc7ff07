package io.isometry.contract;

/** JSON field names of the wire contract (records, requests, events). */
public final class Fields {

  // ---- the process record -------------------------------------------------------------------
  public static final String ID = "id";
  public static final String NODE = "node";
  public static final String OWNER = "owner";
  public static final String COMMAND = "command";
  public static final String ARGV = "argv";
  public static final String CWD = "cwd";
  /** A plan's workspace, and the caller's in {@code /capabilities}: an absolute host path. */
  public static final String WORKSPACE = "workspace";
  public static final String STATE = "state";
  public static final String BACKGROUND = "background";
  public static final String PID = "pid";
  public static final String EXIT_CODE = "exitCode";
  public static final String SIGNAL = "signal";
  public static final String REASON = "reason";
  /** Why a process could not be started (reason {@code spawn_failed}), for a person; null otherwise. */
  public static final String MESSAGE = "message";
  public static final String CREATED_AT = "createdAt";
  public static final String STARTED_AT = "startedAt";
  public static final String ENDED_AT = "endedAt";
  public static final String DURATION_MS = "durationMs";
  public static final String QUEUE_POSITION = "queuePosition";
  public static final String LIMITS = "limits";
  public static final String TIMEOUT_MS = "timeoutMs";
  public static final String MEMORY_BYTES = "memoryBytes";
  public static final String USAGE = "usage";
  public static final String CPU_PERCENT = "cpuPercent";
  public static final String RSS_BYTES = "rssBytes";
  public static final String PEAK_RSS_BYTES = "peakRssBytes";
  public static final String THREADS = "threads";
  /** The kernel's count of the tree's peak memory (cgroup enforcement), beside the sampled peak RSS. */
  public static final String MEMORY_PEAK_BYTES = "memoryPeakBytes";
  public static final String OUTPUT = "output";
  public static final String STDOUT_BYTES = "stdoutBytes";
  public static final String STDERR_BYTES = "stderrBytes";
  public static final String TRUNCATED = "truncated";
  public static final String LABEL = "label";
  /** The cgroup job that holds the process's tree (cgroup enforcement only), to find its processes again. */
  public static final String CGROUP = "cgroup";
  /**
   * The start time of {@code pid} in clock ticks since boot ({@code /proc/<pid>/stat}): a pid is
   * reused, a pid and its start time never are, so together they find the process after a crash.
   */
  public static final String PID_START_TICKS = "pidStartTicks";
  /** The session and process group that hold a record's tree (the sandbox's pid 1 when confined). */
  public static final String PROCESS_GROUP = "processGroup";

  /** Submit and record: the process has a pipe as its stdin (the engine's clients write it). */
  public static final String STDIN = "stdin";
  /** Submit and record: the process runs on a pseudo-terminal (which is its stdin too). */
  public static final String TTY = "tty";
  /** A terminal's width in columns (submit, record, resize). */
  public static final String COLS = "cols";
  /** A terminal's height in rows (submit, record, resize). */
  public static final String ROWS = "rows";
  /** A stdin request: the end of input. */
  public static final String EOF = "eof";

  // ---- the submit request (besides command, argv, cwd, background, label) -------------------
  public static final String ENV = "env";
  public static final String MEMORY_LIMIT_BYTES = "memoryLimitBytes";
  /**
   * The client's key for a submit it may retry: the same key from the same owner within
   * {@link SubmitRequest#IDEMPOTENCY_WINDOW_MS} answers the first request's record instead of running again.
   */
  public static final String IDEMPOTENCY_KEY = "idempotencyKey";
  /** REST: the header that carries {@link #IDEMPOTENCY_KEY}. */
  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  // ---- events and replies ---------------------------------------------------------------------
  public static final String TYPE = "type";
  public static final String RECORD = "record";
  public static final String STREAM = "stream";
  public static final String OFFSET = "offset";
  public static final String BYTES = "bytes";
  public static final String DATA = "data";
  public static final String STATS = "stats";
  public static final String ITEMS = "items";
  /** The nodes a cluster-wide view could not hear from in time (docs/cluster.md). */
  public static final String UNREACHABLE = "unreachable";
  public static final String LIMIT = "limit";
  public static final String ALLOWED = "allowed";
  public static final String VIOLATIONS = "violations";
  public static final String PLAN = "plan";
  /** Journal: the record's start was decided (and maybe happened) before the engine stopped. */
  public static final String DISPATCHED = "dispatched";
  public static final String CLIENT_ID = "clientId";
  /** The feed's {@code auth}: the client's session, the same on every socket of one console tab or CLI run. */
  public static final String SESSION = "session";
  /** A re-attached client's live foreground processes. */
  public static final String PROCESSES = "processes";
  /** On a {@code queue_full} error: the share that is full, {@code queuePerOwner} or {@code queueCapacity}. */
  public static final String SHARE = "share";
  /** The HTTP header of {@code GET .../output}: the byte offset, in the whole stream, at which its text starts. */
  public static final String OUTPUT_OFFSET_HEADER = "Isometry-Output-Offset";

  // ---- internal requests and replies (see Addresses) --------------------------------------------
  /** Evictions: how long ago a finished record must have ended to go. */
  public static final String OLDER_THAN_MS = "olderThanMs";
  /** The supervisor's answer to an eviction: how many records went. */
  public static final String EVICTED = "evicted";
  /** The journal's answer to an eviction: how many records went. */
  public static final String DELETED = "deleted";
  /** The cgroup jobs live processes hold. */
  public static final String CGROUPS = "cgroups";
  /** The journal's answer to recovery: the records that were live, with their plans. */
  public static final String LIVE = "live";
  /** {@code /health}: {@code up} or {@code degraded} (then with a {@code reason}). */
  public static final String STATUS = "status";
  /** Whether the supervisor enforces limits with cgroups (so the sweep looks for orphans there). */
  public static final String USES_CGROUPS = "usesCgroups";
  /** The cgroup hierarchies the supervisor uses: {@code v1}, {@code v2} or both. */
  public static final String HIERARCHIES = "hierarchies";

  private Fields() {
  }
}
