using Backcall.Core.SignIn;
using Backcall.Server.Admin;

namespace Backcall.Server.SignIn;

/// <summary>
/// Sign-in clients and keys under <c>/api/admin/clients</c> and <c>/api/admin/signin-keys</c> (inside the admin
/// group and its key check); the same actions as <c>backcall client …</c> and <c>backcall signin-keys …</c>.
/// </summary>
internal static class SignInAdminEndpoints
{
    public sealed record CreateClientRequest(
        string Name, string[]? RedirectUris, bool Public = false, long? TokenId = null, bool JustCall = true);

    public static void MapSignInAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/clients", async (ClientAdmin clients, CancellationToken ct) =>
            AdminResults.Json((await clients.ListAsync(ct)).Select(Client)));
        admin.MapPost("/clients", async (CreateClientRequest request, ClientAdmin clients, CancellationToken ct) =>
            await clients.CreateAsync(
                request.Name, request.RedirectUris ?? [], request.Public, request.TokenId, request.JustCall, ct)
                is { } created
                ? AdminResults.Json(Created(created), StatusCodes.Status201Created)
                : AdminResults.NotFound("token"));
        admin.MapGet("/clients/{id}", async (string id, ClientAdmin clients, CancellationToken ct) =>
            ClientOrNotFound(await clients.GetAsync(id, ct)));
        admin.MapPost("/clients/{id}/disable", async (string id, ClientAdmin clients, CancellationToken ct) =>
            ClientOrNotFound(await clients.SetDisabledAsync(id, true, ct)));
        admin.MapPost("/clients/{id}/enable", async (string id, ClientAdmin clients, CancellationToken ct) =>
            ClientOrNotFound(await clients.SetDisabledAsync(id, false, ct)));
        admin.MapPost("/clients/{id}/enable-just-call", async (string id, ClientAdmin clients, CancellationToken ct) =>
            ClientOrNotFound(await clients.SetJustCallAsync(id, true, ct)));
        admin.MapPost("/clients/{id}/disable-just-call", async (string id, ClientAdmin clients, CancellationToken ct) =>
            ClientOrNotFound(await clients.SetJustCallAsync(id, false, ct)));
        admin.MapPost("/clients/{id}/rotate-secret", async (string id, ClientAdmin clients, CancellationToken ct) =>
            await clients.RotateSecretAsync(id, ct) is { } c
                ? AdminResults.Json(Created(c))
                : AdminResults.NotFound("client"));
        admin.MapDelete("/clients/{id}", async (string id, ClientAdmin clients, CancellationToken ct) =>
            await clients.RemoveAsync(id, ct) ? AdminResults.Json(new { ok = true }) : AdminResults.NotFound("client"));

        admin.MapGet("/signin-keys", async (SignInKeyAdmin keys, TimeProvider time, CancellationToken ct) =>
            AdminResults.Json((await keys.ListAsync(ct)).Select(k => Key(k, time.GetUtcNow()))));
        admin.MapPost("/signin-keys/rotate", async (
            HttpContext context, SignInKeyAdmin keys, TimeProvider time, CancellationToken ct) =>
        {
            var added = await keys.RotateAsync(ct);

            // This node publishes the new keys at once; the others within their next poll (a minute).
            if (context.RequestServices.GetService<SignInKeyRing>() is { } ring)
            {
                await ring.RefreshAsync(ct);
            }

            return AdminResults.Json(added.Select(k => Key(k, time.GetUtcNow())));
        });
    }

    /// <summary>A client as it is now, or 404 when there is none by that id.</summary>
    private static IResult ClientOrNotFound(SignInClient? c) =>
        c is null ? AdminResults.NotFound("client") : AdminResults.Json(Client(c));

    /// <summary>A client as lists show it: never its secret or the secret's hash.</summary>
    public static object Client(SignInClient c) => new
    {
        c.ClientId,
        c.Name,
        c.RedirectUris,
        Type = c.IsPublic ? "public" : "confidential",
        c.TokenId,
        c.Disabled,
        c.JustCall,
        c.CreatedAt,
    };

    /// <summary>A client just created or given a new secret: the one time the secret is shown.</summary>
    public static object Created(CreatedClient c) => new { ClientSecret = c.Secret, Details = Client(c.Client) };

    /// <summary>A key as lists show it: never its material.</summary>
    public static object Key(SignInKey k, DateTimeOffset now) => new
    {
        k.KeyId,
        Use = k.Use.ToString().ToLowerInvariant(),
        k.CreatedAt,
        k.ActivatesAt,
        k.RetiresAt,
        State = k.IsRetiredAt(now) ? "retired" : k.ActivatesAt > now ? "published" : "active",
    };
}
