using System.Text.Json;

namespace Backcall.Server.Api;

/// <summary>
/// Reads <c>phone</c>, <c>webhook</c> and <c>notify_expired</c> from wherever a client put them: a JSON body
/// (the Python SDK), a form or multipart body (PHP clients), or the query string. A phone sent blank stays
/// <c>""</c>, apart from a phone not sent (null, identify mode): a client passing on an empty field gets a 400.
/// </summary>
internal sealed record ContractInput(string? Phone, string? Webhook, bool NotifyExpired)
{
    public const long MaxBodyBytes = 64 * 1024;

    public static async Task<(ContractInput? Input, string? Error)> ReadAsync(
        HttpRequest request,
        CancellationToken cancellationToken)
    {
        string? phone = null,
            webhook = null,
            notify = null;
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"request body too large (at most {MaxBodyBytes} bytes)");
        }

        // Chunked bodies carry no length: cap what Kestrel will read, so a client cannot stream megabytes.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is
            { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (request.HasJsonContentType())
        {
            try
            {
                using var doc = await JsonDocument
                    .ParseAsync(request.Body, default, cancellationToken)
                    .ConfigureAwait(false);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, "JSON body must be an object with phone and webhook");
                }

                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    var value = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False =>
                            property.Value.GetRawText(),
                        _ => null,
                    };
                    switch (property.Name.ToLowerInvariant())
                    {
                        case "phone": phone = value; break;
                        case "webhook": webhook = value; break;
                        case "notify_expired": notify = value; break;
                    }
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, $"request body too large (at most {MaxBodyBytes} bytes)");
            }
            catch (JsonException)
            {
                return (
                    null,
                    "body is not valid JSON; send {\"phone\": \"89XXXXXXXXX\", \"webhook\": \"https://…\"}");
            }
        }
        else if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                phone = form["phone"].FirstOrDefault();
                webhook = form["webhook"].FirstOrDefault();
                notify = form["notify_expired"].FirstOrDefault();
            }
            catch (InvalidDataException ex)
            {
                return (null, "form body could not be read: " + ex.Message);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, $"request body too large (at most {MaxBodyBytes} bytes)");
            }
        }

        var query = request.Query;
        phone ??= query["phone"].FirstOrDefault();
        webhook ??= query["webhook"].FirstOrDefault();
        notify ??= query["notify_expired"].FirstOrDefault();
        return (
            new ContractInput(
                phone?.Trim(),
                string.IsNullOrWhiteSpace(webhook) ? null : webhook.Trim(),
                IsTrue(notify)),
            null);
    }

    private static bool IsTrue(string? value) =>
        value is not null
        && (value == "1"
            || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
