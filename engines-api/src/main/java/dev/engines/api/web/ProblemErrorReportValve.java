package dev.engines.api.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on a request, in place of its HTML error report: requests Tomcat rejects
 * before any filter or servlet runs (an encoded '/', '\' or NUL in the path, a malformed request
 * line or header, headers over the size limit) answer a problem with a code and a request id like
 * every other error. It sits on the host, where the standard valve would.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

  private final Problems problems;
  private final JsonMapper json;

  ProblemErrorReportValve(Problems problems, JsonMapper json) {
    this.problems = problems;
    this.json = json;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As the standard valve: only an error nobody has answered yet, and only while the connection
    // can still take it.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    Map<String, Object> body = problems.body(request, Problems.forStatus(status), null);
    try {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      response.setHeader(RequestHeaders.REQUEST_ID, (String) body.get("request_id"));
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(json.writeValueAsString(body));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing left to tell it.
    }
  }
}
