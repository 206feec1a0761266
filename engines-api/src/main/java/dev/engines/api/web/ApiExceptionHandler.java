package dev.engines.api.web;

import dev.engines.core.db.DatabaseFailures;
import dev.engines.core.db.DatabaseUnavailableException;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every exception a controller or interceptor can throw to a problem. Unexpected exceptions
 * become a 500 {@code internal_error} whose body says nothing about the cause; the stack trace goes
 * to the log only.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final Problems problems;
  private final FieldErrors fields;

  public ApiExceptionHandler(Problems problems, FieldErrors fields) {
    this.problems = problems;
    this.fields = fields;
  }

  @ExceptionHandler(EnginesException.class)
  ResponseEntity<Object> engines(HttpServletRequest request, EnginesException e) {
    if (e.status() >= 500) {
      log.warn("request failed: {} {}", e.code(), e.getMessage(), e.getCause());
    }
    return problems.entity(request, e, null);
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<Object> invalid(HttpServletRequest request, MethodArgumentNotValidException e) {
    return problems.entity(request, fields.body(e.getBindingResult()), null);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<Object> invalidParameters(
      HttpServletRequest request, HandlerMethodValidationException e) {
    return problems.entity(request, fields.parameters(e), null);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Object> unreadable(HttpServletRequest request, HttpMessageNotReadableException e) {
    return problems.entity(request, fields.unreadable(e), null);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Object> parameterType(
      HttpServletRequest request, MethodArgumentTypeMismatchException e) {
    return problems.entity(request, fields.mismatch(e.getName(), e.getRequiredType()), null);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Object> missingParameter(
      HttpServletRequest request, MissingServletRequestParameterException e) {
    return problems.entity(request, fields.missing(e.getParameterName()), null);
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<Object> missingHeader(
      HttpServletRequest request, MissingRequestHeaderException e) {
    return problems.entity(
        request,
        EnginesException.validation("The " + e.getHeaderName() + " header is required."),
        null);
  }

  /**
   * Tomcat could not parse the parameters: query strings are checked before this
   * (RequestInputFilter), so this is a form body that does not decode, or more parameters than
   * Tomcat accepts.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<Object> parameters(HttpServletRequest request, InvalidParameterException e) {
    return problems.entity(
        request, EnginesException.validation("The request parameters could not be decoded."), null);
  }

  /**
   * The firewall checks headers and parameters when they are read, so a rejection can surface here.
   */
  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<Object> rejected(HttpServletRequest request, RequestRejectedException e) {
    return problems.entity(request, Problems.rejected(), null);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Object> noRoute(HttpServletRequest request, NoResourceFoundException e) {
    return problems.entity(
        request, new EnginesException(404, ProblemCodes.NOT_FOUND, "No such route."), null);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Object> method(
      HttpServletRequest request, HttpRequestMethodNotSupportedException e) {
    return problems.entity(
        request,
        new EnginesException(405, "method_not_allowed", "This route does not accept that method."),
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Object> mediaType(
      HttpServletRequest request, HttpMediaTypeNotSupportedException e) {
    return problems.entity(
        request,
        new EnginesException(
            415, "unsupported_media_type", "This route does not accept that content type."),
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<Object> notAcceptable(
      HttpServletRequest request, HttpMediaTypeNotAcceptableException e) {
    return problems.entity(
        request,
        new EnginesException(
            406, "not_acceptable", "This route cannot produce the requested media type."),
        null);
  }

  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<Object> integrity(HttpServletRequest request, DataIntegrityViolationException e) {
    log.warn("data integrity violation", e);
    return problems.entity(
        request,
        EnginesException.conflict(
            ProblemCodes.CONFLICT, "The change conflicts with existing data."),
        null);
  }

  /**
   * The client closed the connection while the answer was being written: there is no one to answer
   * and nothing failed here, so no problem is written and no error is logged (an operator paged for
   * every impatient client learns to ignore errors). The request's outcome stands as recorded.
   */
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  void clientGone(HttpServletRequest request, AsyncRequestNotUsableException e) {
    log.info(
        "client closed the connection before the answer to {} {} was written",
        request.getMethod(),
        request.getRequestURI());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(HttpServletRequest request, Exception e) {
    if (DatabaseFailures.unavailable(e)) {
      // Whatever wrapped it (the pool, a transaction's begin or commit, a query): a 503 to retry.
      // One line, no stack: during an outage every request says it, and the pool logged the cause.
      log.warn("request failed: database unavailable ({})", e.getMessage());
      return problems.entity(request, new DatabaseUnavailableException(e), null);
    }
    log.error("unexpected error", e);
    return problems.entity(
        request,
        new EnginesException(500, ProblemCodes.INTERNAL, "An unexpected error occurred."),
        null);
  }
}
