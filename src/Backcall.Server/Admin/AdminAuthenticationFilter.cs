namespace Backcall.Server.Admin;

/// <summary>Lets through only requests that present the admin key (Bearer or X-Api-Key).</summary>
internal sealed class AdminAuthenticationFilter(AdminKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!keys.IsAdmin(AdminKeys.FromRequest(context.HttpContext.Request)))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return AdminResults.Error(
                StatusCodes.Status401Unauthorized,
                "admin key required: send Authorization: Bearer <admin key> (see admin.key in the data directory)");
        }

        return await next(context).ConfigureAwait(false);
    }
}

/// <summary>
/// Turns the services' argument errors (a bad name, number or amount) into 400 answers with the reason.
/// </summary>
internal sealed class AdminArgumentErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return AdminResults.Error(StatusCodes.Status400BadRequest, ex.Message);
        }
    }
}
