using System.Reflection;
using Backcall.Server.Logging;
using Microsoft.Extensions.Logging;

namespace Backcall.Server.Tests.Logging;

/// <summary>
/// Every log message of every Backcall assembly has an id of its own, declared in its assembly's event-id
/// class (ServerEventId, SipEventId, PostgresEventId), inside that assembly's range.
/// </summary>
public sealed class EventIdTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly Assembly[] Assemblies = LoadBackcallAssemblies();

    private static IReadOnlyList<(Assembly Assembly, string Method, int Id)> Messages { get; } =
    [
        .. from assembly in Assemblies
           from type in assembly.GetTypes()
           from method in type.GetMethods(Everything)
           let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
           where attribute is not null
           select (assembly, $"{type.FullName}.{method.Name}", attribute.EventId),
    ];

    private static IReadOnlyList<(string Constant, int Id)> Declared { get; } =
    [
        .. from assembly in Assemblies
           from type in assembly.GetTypes()
           where type.Name.EndsWith("EventId", StringComparison.Ordinal)
           from field in type.GetFields(BindingFlags.Public | BindingFlags.Static)
           where field.IsLiteral && field.FieldType == typeof(int)
           select ($"{type.Name}.{field.Name}", (int)field.GetRawConstantValue()!),
    ];

    [Fact]
    public void The_messages_of_every_assembly_are_found()
    {
        Assert.Contains(Messages, m => m.Method.StartsWith("Backcall.Sip.", StringComparison.Ordinal));
        Assert.Contains(Messages, m => m.Method.StartsWith("Backcall.Storage.Postgres.", StringComparison.Ordinal));
        Assert.Contains(Messages, m => m.Method.StartsWith("Backcall.Server.Webhooks.", StringComparison.Ordinal));
    }

    [Fact]
    public void No_two_messages_share_an_event_id()
    {
        var shared = Messages.GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(shared.Count == 0, "event ids used twice:\n" + string.Join('\n', shared));
    }

    [Fact]
    public void Every_message_takes_its_id_from_an_event_id_class_and_every_declared_id_is_used()
    {
        var declaredTwice = Declared.GroupBy(d => d.Id).Where(g => g.Count() > 1)
            .Select(g => string.Join(" = ", g.Select(d => d.Constant)));
        Assert.Empty(declaredTwice);
        var ids = Declared.Select(d => d.Id).ToHashSet();
        Assert.Empty(Messages.Where(m => !ids.Contains(m.Id)).Select(m => $"{m.Method} ({m.Id}) is not declared"));
        var used = Messages.Select(m => m.Id).ToHashSet();
        var unused = Declared.Where(d => !used.Contains(d.Id)).Select(d => $"{d.Constant} ({d.Id}) is used by none");
        Assert.Empty(unused);
    }

    [Fact]
    public void Each_assembly_keeps_to_its_range()
    {
        Assert.All(Of("Backcall.Sip"), m => Assert.InRange(m.Id, 5000, 5999));
        Assert.All(Of("Backcall.Storage.Postgres"), m => Assert.InRange(m.Id, 6000, 6099));
        Assert.All(Of(typeof(ServerEventId).Assembly.GetName().Name!), m => Assert.InRange(m.Id, 1000, 4999));

        static IEnumerable<(Assembly Assembly, string Method, int Id)> Of(string assembly) =>
            Messages.Where(m => m.Assembly.GetName().Name == assembly);
    }

    [Fact]
    public void The_webhook_ids_docs_tell_operators_to_alert_on_stay()
    {
        var docs = File.ReadAllText(Path.Combine(Infrastructure.RepositoryPaths.Root, "docs", "webhooks.md"));
        const string Promise = "event ids 2001 delivered, 2002 attempt failed, 2003 delivery failed";
        Assert.Contains(Promise, docs, StringComparison.Ordinal);
        Assert.Equal(
            (2001, 2002, 2003),
            (ServerEventId.WebhookDelivered, ServerEventId.WebhookAttemptFailed, ServerEventId.WebhookDeliveryFailed));
    }

    private static Assembly[] LoadBackcallAssemblies()
    {
        // Every product assembly next to the tests (the server's is backcall.dll), not the test assemblies.
        var names = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n is not null && (n == "backcall" || n.StartsWith("Backcall.", StringComparison.Ordinal)))
            .Where(n => !n!.EndsWith(".Tests", StringComparison.Ordinal) && n != "Backcall.Testing");
        return [.. names.Select(n => Assembly.Load(n!))];
    }
}
