package dev.engines.api.web;

import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Trace;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Injects the request's resolved {@link Caller} and {@link Trace} into controller methods. */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class
        || parameter.getParameterType() == Trace.class;
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest request,
      WebDataBinderFactory binders) {
    String name =
        parameter.getParameterType() == Caller.class
            ? RequestHeaders.CALLER_ATTRIBUTE
            : RequestHeaders.TRACE_ATTRIBUTE;
    Object value = request.getAttribute(name, RequestAttributes.SCOPE_REQUEST);
    if (value == null) {
      throw new IllegalStateException(
          "No "
              + parameter.getParameterType().getSimpleName()
              + " for this request: the route's RoutePolicy audience must be TENANT");
    }
    return value;
  }
}
