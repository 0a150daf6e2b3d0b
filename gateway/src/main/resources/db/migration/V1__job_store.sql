-- The gateway's job store. Every state change of a job and the messages it implies are written in one
-- transaction (transactional outbox), so job state and published messages cannot disagree after a crash.

-- One row per submitted job. The progress counts are derived from the tasks table, the search state
-- from the search snapshot (core's SearchMachine.snapshot()).
create table jobs (
    id                  varchar(64)      primary key,
    status              varchar(16)      not null,
    spec                text             not null,   -- resolved JobSpec, contract JSON
    submitted           timestamptz      not null,
    started             timestamptz,
    finished            timestamptz,
    failure             text,                        -- why FAILED or CANCELLED
    total_windows       integer,                     -- windows of the evaluation texts (null: no evaluation)
    search              text,                        -- SearchSnapshot JSON once the search started
    baseline_perplexity double precision,
    final_perplexity    double precision,
    output              varchar(512),                -- output model folder, relative to the artifact store
    analysis_seconds    double precision not null default 0,
    reduction_seconds   double precision not null default 0,
    evaluation_seconds  double precision not null default 0,
    version             bigint           not null default 0
);
create index jobs_status on jobs (status);
create index jobs_submitted on jobs (submitted desc);

-- The selected matrices of a job, in the model's catalogue order, with their analysis and (once the
-- output is written) the reduction that replaced them.
create table matrices (
    id               bigint generated always as identity primary key,
    job_id           varchar(64)  not null references jobs (id) on delete cascade,
    ordinal          integer      not null,
    tensor           varchar(512) not null,
    layer            integer      not null,
    module           varchar(16)  not null,
    rows             integer      not null,
    cols             integer      not null,
    dtype            varchar(8)   not null,
    spectrum         text,                 -- SpectrumSummary JSON once analysed
    backend          varchar(128),
    analysis_seconds double precision,
    failure          text,                 -- why its analysis or reduction failed
    reduction        text,                 -- ReductionOutput JSON of the written replacement
    unique (job_id, tensor)
);

-- Every task sent to a worker; the primary key is the contract's task id, so a redelivered result is
-- recognised (status no longer PENDING) and counted once.
create table tasks (
    task_id    varchar(1024) primary key,
    job_id     varchar(64)   not null references jobs (id) on delete cascade,
    type       varchar(16)   not null,   -- ANALYSIS, REDUCTION, EVALUATION
    status     varchar(16)   not null,   -- PENDING, DONE, FAILED, CANCELLED
    attempts   integer       not null,
    payload    text          not null,   -- the task message, resent on a retryable failure
    output     text,                     -- the result's output JSON once DONE
    failure    text,                     -- the last failure reason
    seconds    double precision,
    tensor     varchar(512),             -- reduction: the matrix
    rank       integer,                  -- reduction: k
    form       varchar(16),              -- reduction: dense or factored
    request_id varchar(128),             -- evaluation: the search request
    created    timestamptz   not null,
    finished   timestamptz
);
create index tasks_job on tasks (job_id, type, status);
create index tasks_request on tasks (job_id, request_id);

-- The search's evaluation requests (model states) and their merged partial sums; a request's shards
-- are its evaluation tasks.
create table evaluations (
    id             bigint generated always as identity primary key,
    job_id         varchar(64)  not null references jobs (id) on delete cascade,
    request_id     varchar(128) not null,
    split          varchar(16)  not null,
    replacements   text         not null,   -- JSON list of {matrix, rank}
    status         varchar(16)  not null,   -- WAITING (for reductions), RUNNING, DONE, DROPPED
    issued         integer      not null,   -- issue order within the job
    first_window   integer      not null,
    end_window     integer      not null,
    nll_sum        numeric,
    tokens         bigint,
    windows        integer,
    window_mean_sum numeric,
    perplexity     double precision,
    unique (job_id, request_id)
);

-- Messages to publish, in commit order. A row is marked sent once the broker acknowledged it.
create table outbox (
    id          bigint generated always as identity primary key,
    topic       varchar(128) not null,
    message_key varchar(1024) not null,
    payload     text         not null,
    created     timestamptz  not null,
    sent        timestamptz
);
create index outbox_unsent on outbox (id) where sent is null;
