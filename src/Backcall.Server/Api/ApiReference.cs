using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Backcall.Server.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and its browsable reference (<c>/docs</c>): the Back Calls
/// API first, each operation named by its action, with the <c>{token}</c> parameter, the bodies, every
/// answer's schema and the contract's errors with examples; the admin and PBX APIs with their Bearer keys.
/// </summary>
internal static class ApiReference
{
    public const string ContractTag = "Back Calls API";
    public const string PbxTag = "PBX integration";
    public const string AdminTag = "Admin";
    private const string AdminScheme = "adminKey";
    private const string PbxScheme = "pbxKey";

    /// <summary>An example answer for each error status of the contract API.</summary>
    private static readonly Dictionary<string, (string Description, string Error)> ContractErrors = new()
    {
        ["400"] = (
            "Bad input: what is wrong and what is accepted",
            "phone: '12' is not a phone number; send 8XXXXXXXXXX, "
                + "7XXXXXXXXXX, +7 (9XX) XXX-XX-XX, 9XXXXXXXXX or +E.164"),
        ["401"] = ("Bad or disabled token (the text says \"token\")", ContractMessages.BadToken),
        ["402"] = (
            "Free requests and balance exhausted",
            "balance exhausted: top up the token or raise its balance limit"),
        ["404"] = ("Unknown id, another token's id, or an unknown action", ContractMessages.NotFound),
        ["405"] = (
            "A known action with the wrong method; Allow names the right one",
            "method {other} is not allowed here; use {method}"),
        ["429"] = ("Rate limited; Retry-After says when to retry", ContractMessages.RateLimited),
        ["503"] = (
            "No free number for this phone now (pool saturated); Retry-After says when to retry",
            "no free number for this phone right now; retry after the Retry-After seconds"),
    };

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                Annotate(operation, context);
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");

        // Everything local: no remote fonts, no AI agent, no telemetry, no deploy or SDK buttons that call out.
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("Backcall API reference")
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableTelemetry()
            .HideDeveloperTools()
            .HideClientButton());
        return app;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Backcall API";
        document.Info.Description =
            "Phone verification by a reverse call. The Back Calls API is a drop-in replacement of the hosted one: "
            + "every answer is {\"success\", \"error\", \"data\"}, the token is a path segment. The PBX and admin APIs "
            + "take Authorization: Bearer with the key in pbx.key or admin.key in the data directory.";
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = ContractTag, Description = "For apps: hand out a number, learn who called it." },
            new() { Name = PbxTag, Description = "For PBXs that report calls over HTTP instead of SIP." },
            new()
            {
                Name = AdminTag,
                Description = "For the operator: tokens, numbers, authorizations, calls, webhooks, figures.",
            },
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[AdminScheme] = Bearer(
            "The admin key: admin.key in the data directory, or Server:AdminKey.");
        document.Components.SecuritySchemes[PbxScheme] = Bearer(
            "The PBX key: pbx.key in the data directory, or Server:PbxKey.");

        // The Back Calls API first, then the PBX call report, then the rest.
        var ordered = document
            .Paths.OrderBy(p =>
                p.Key.StartsWith(ContractStatusPages.Prefix, StringComparison.Ordinal) ? 0
                : p.Key.StartsWith("/api/v1/pbx", StringComparison.Ordinal) ? 1
                : 2)
            .ToList();
        document.Paths.Clear();
        foreach (var (path, item) in ordered)
        {
            document.Paths.Add(path, item);
        }
    }

    private static OpenApiSecurityScheme Bearer(string description) =>
        new() { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = description };

    private static void Annotate(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var path = "/" + (context.Description.RelativePath ?? "");
        if (path.StartsWith(ContractStatusPages.Prefix, StringComparison.Ordinal))
        {
            AnnotateContract(operation, path, context.Description.HttpMethod ?? "GET");
        }
        else if (path.StartsWith("/api/v1/pbx", StringComparison.Ordinal))
        {
            Secure(operation, context.Document, PbxScheme);
        }
        else if (path.StartsWith("/api/admin", StringComparison.Ordinal))
        {
            Secure(operation, context.Document, AdminScheme);
        }
    }

    private static void AnnotateContract(OpenApiOperation operation, string path, string method)
    {
        // Named by action: the summary is the action, what it does goes to the description.
        if (operation.OperationId is { } action && operation.Summary != action)
        {
            operation.Description = string.Join(
                " ",
                new[] { operation.Summary, operation.Description }.Where(s => !string.IsNullOrEmpty(s)));
            operation.Summary = action;
        }

        if (path.Contains("{token}", StringComparison.Ordinal)
            && operation.Parameters?.Any(p => p.Name == "token") != true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Insert(0, new OpenApiParameter
            {
                Name = "token",
                In = ParameterLocation.Path,
                Required = true,
                Description = "The app's API token, as `backcall token create` printed it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (operation.Responses is not { } responses)
        {
            return;
        }

        var other = method == "GET" ? "POST" : "GET";
        foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList())
        {
            if (ContractErrors.TryGetValue(status, out var error) && response is OpenApiResponse concrete)
            {
                concrete.Description = error.Description;
                var text = error
                    .Error.Replace("{other}", other, StringComparison.Ordinal)
                    .Replace("{method}", method, StringComparison.Ordinal);
                foreach (var media in concrete.Content?.Values ?? [])
                {
                    media.Example = new JsonObject
                    {
                        ["success"] = false,
                        ["error"] = text,
                        ["data"] = new JsonObject(),
                    };
                }
            }

            // In status order: the success first, then the errors.
            responses.Remove(status);
            responses.Add(status, response);
        }
    }

    private static void Secure(OpenApiOperation operation, OpenApiDocument? document, string scheme)
    {
        operation.Security ??= [];
        operation.Security.Add(
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] });
    }
}
