using BareKestrel;

// The anchor app: the same check answer the server gives, with nothing behind it, and a durable SQLite
// insert per request (the floor of "a created authorization survives kill -9"). Same host builder as the
// server (WebApplication.CreateBuilder), so Kestrel defaults are the same; logging off, as nothing here is
// worth a line per request.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var database = builder.Configuration["Database"]
    ?? Path.Combine(Path.GetTempPath(), $"bare-kestrel-{Environment.ProcessId}.db");
builder.Services.AddSingleton(new DurableInserts(database));

var app = builder.Build();
app.MapGet("/api/v1/authcalls/{token}/reverse_auth_phone_check/{id}", (string token, long id) =>
    Results.Json(
        new Envelope<CheckData>(false, "waiting for the call", new CheckData(id, "", "pending", 118)),
        AnchorJson.Default.Options));
app.MapGet(
    "/api/v1/authcalls/{token}/reverse_auth_phone_get",
    async (string token, string? phone, DurableInserts inserts) =>
    {
        var id = await inserts.InsertAsync(phone ?? "");
        var data = new CreatedData(
            "79640000001",
            id,
            "http://127.0.0.1/api/v1/authcalls/get_qr_image/x/",
            "<a href='tel:+79640000001'>call</a>",
            "pending",
            DateTimeOffset.UtcNow.AddMinutes(2),
            120);
        return Results.Json(new Envelope<CreatedData>(true, "", data), AnchorJson.Default.Options);
    });

app.Lifetime.ApplicationStarted.Register(
    () => Console.WriteLine("bare-kestrel: listening on " + string.Join(' ', app.Urls)));
await app.RunAsync();
