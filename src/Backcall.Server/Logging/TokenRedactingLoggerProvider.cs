using System.Collections;

namespace Backcall.Server.Logging;

/// <summary>
/// Wraps every logging provider so that no line, at any level, carries an API token: the framework's own
/// messages (hosting's "Request starting …", routing's candidate lists at Debug and Trace) and the scopes
/// that hold the request path go through <see cref="PathRedaction.RedactText"/> before any sink sees them.
/// Our own messages already log redacted paths; this is the net for everything else. It also drops the
/// host's "Hosting failed to start" with its stack trace: <c>backcall</c> prints that failure itself, as one
/// line naming what is wrong and the fix (Cli/CliErrors.cs).
/// </summary>
internal sealed class TokenRedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private const int HostingFailedToStart = 11;

    public ILogger CreateLogger(string categoryName) =>
        new RedactingLogger(inner.CreateLogger(categoryName), categoryName == HostCategory);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) =>
        (inner as ISupportExternalScope)?.SetScopeProvider(new RedactingScopeProvider(scopeProvider));

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces each registered provider by itself wrapped; call after all providers are added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList())
        {
            services.Remove(descriptor);
            services.Add(
                ServiceDescriptor.Singleton<ILoggerProvider>(sp => new TokenRedactingLoggerProvider(
                    Create(descriptor, sp))));
        }
    }

    private static ILoggerProvider Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        (ILoggerProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private static object? RedactObject(object? value) => value switch
    {
        null => null,
        string s => PathRedaction.RedactText(s),
        IEnumerable<KeyValuePair<string, object?>> pairs => new RedactedState(pairs, value.ToString() ?? ""),
        _ => PathRedaction.ContainsContractPath(value.ToString()) ? PathRedaction.RedactText(value.ToString()!) : value,
    };

    private sealed class RedactingLogger(ILogger inner, bool isHost) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(RedactObject(state) ?? state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (isHost && eventId.Id == HostingFailedToStart)
            {
                return;
            }

            var message = formatter(state, exception);
            if (!PathRedaction.ContainsContractPath(message) && !StateHasContractPath(state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            IEnumerable<KeyValuePair<string, object?>> pairs =
                state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var redacted = new RedactedState(pairs, message);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.ToString());
        }

        private static bool StateHasContractPath<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs
            && pairs.Any(p => p.Value is not null && PathRedaction.ContainsContractPath(p.Value.ToString()));
    }

    /// <summary>A log state or scope with every value and the message redacted.</summary>
    private sealed class RedactedState(IEnumerable<KeyValuePair<string, object?>> pairs, string message)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _pairs =
            [.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, RedactObject(p.Value)))];

        private readonly string _message = PathRedaction.RedactText(message);

        public int Count => _pairs.Count;

        public KeyValuePair<string, object?> this[int index] => _pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _pairs.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => _message;
    }

    private sealed class RedactingScopeProvider(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope(
                static (scope, s) => s.Callback(RedactObject(scope), s.State),
                (Callback: callback, State: state));

        public IDisposable Push(object? state) => inner.Push(state);
    }
}
