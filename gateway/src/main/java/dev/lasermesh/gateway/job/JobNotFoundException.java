package dev.lasermesh.gateway.job;

/** No job (or matrix of a job) by the id a request names. */
public class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String message) {
        super(message);
    }
}
