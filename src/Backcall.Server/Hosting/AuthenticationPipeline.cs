namespace Backcall.Server.Hosting;

/// <summary>
/// Authentication (the console's cookie, OpenIddict's request handler) runs only where a browser or an OpenID
/// Connect client can be: the machine APIs under <c>/api/v1</c> carry their own credential (the token in the path,
/// the PBX key) and skip it. Left to itself, WebApplication runs authentication on every request, and OpenIddict's
/// handler dispatches its whole event pipeline for each one: a fifth of the CPU of a contract check (BENCHMARKS.md,
/// "Where the time goes").
/// </summary>
internal static class AuthenticationPipeline
{
    // WebApplication adds UseAuthentication and UseAuthorization at the top of the pipeline unless the root
    // builder carries these marks; the UseWhen branch below writes its marks into a copy of the properties, so
    // the root is marked here.
    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationSetKey = "__AuthorizationMiddlewareSet";

    public static IApplicationBuilder UseBackcallAuthentication(this IApplicationBuilder app)
    {
        // Authorization after authentication, as always: an endpoint that requires an operator names its scheme
        // in its policy. The machine APIs skip it too: they carry no policy, and the middleware marks every
        // request it sees in HttpContext.Items, which makes a dictionary per status check. Should one of them
        // ever be given a policy, the endpoint middleware refuses to run it without this middleware: it fails
        // closed.
        app.UseWhen(
            context => !IsMachineApi(context.Request.Path),
            branch => branch.UseAuthentication().UseAuthorization());
        app.Properties[AuthenticationSetKey] = true;
        app.Properties[AuthorizationSetKey] = true;
        return app;
    }

    /// <summary>The contract and PBX APIs: authenticated by their own filters, never by a cookie.</summary>
    public static bool IsMachineApi(PathString path) =>
        path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase);
}
