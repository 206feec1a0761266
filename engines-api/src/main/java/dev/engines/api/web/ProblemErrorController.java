package dev.engines.api.web;

import dev.engines.api.web.RoutePolicy.Audience;
import dev.engines.api.web.RoutePolicy.Kind;
import dev.engines.core.error.EnginesException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page, {@code /error}, answering problems like every other route (it
 * replaces Spring Boot's default JSON). The container forwards here when a response ended with
 * {@code sendError} or with an exception nothing else handled; requested directly it is a 404.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

  private final Problems problems;

  ProblemErrorController(Problems problems) {
    this.problems = problems;
  }

  @RequestMapping("/error")
  @RoutePolicy(
      audience = Audience.PUBLIC,
      surface = "api",
      action = "error.render",
      kind = Kind.READ)
  ResponseEntity<Object> error(HttpServletRequest request) {
    return problems.entity(request, problem(request), null);
  }

  private static EnginesException problem(HttpServletRequest request) {
    // A problem was already chosen, but the container threw its body away: after a failed read of
    // the request body (an upload shorter than its Content-Length) Tomcat answers with sendError.
    if (request.getAttribute(Problems.PROBLEM_ATTRIBUTE) instanceof EnginesException chosen) {
      return chosen;
    }
    if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
      return Problems.forStatus(404);
    }
    for (Throwable t = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        t != null;
        t = t.getCause()) {
      if (t instanceof EnginesException e) {
        return e;
      }
      if (t instanceof RequestRejectedException) {
        return Problems.rejected();
      }
    }
    return Problems.forStatus(status);
  }
}
