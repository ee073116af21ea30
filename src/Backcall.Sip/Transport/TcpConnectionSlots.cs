using Backcall.Sip.Trunks;

namespace Backcall.Sip.Transport;

/// <summary>
/// Connection slots shared by every TCP and TLS endpoint: at most <c>max</c> connections; sources outside
/// every trunk get at most <c>max - reservedForTrunks</c> of them and <c>perSource</c> each (per
/// <see cref="SourceKey"/>), so neither many idle connections nor one busy stranger can lock a trunk out.
/// </summary>
internal sealed class TcpConnectionSlots(int max, int reservedForTrunks, int perSource)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SourceKey, int> _bySource = [];
    private int _total;
    private int _untrusted;

    public enum Refusal
    {
        None,
        Full,
        UntrustedShareFull,
        SourceFull,
    }

    /// <summary>Connections open now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a slot; on success the caller must <see cref="Release"/> it when the connection ends.</summary>
    public Refusal TryTake(SourceKey source, bool trusted)
    {
        lock (_lock)
        {
            if (_total >= max)
            {
                return Refusal.Full;
            }

            if (!trusted)
            {
                if (_untrusted >= max - reservedForTrunks)
                {
                    return Refusal.UntrustedShareFull;
                }

                var count = _bySource.GetValueOrDefault(source);
                if (count >= perSource)
                {
                    return Refusal.SourceFull;
                }

                _bySource[source] = count + 1;
                _untrusted++;
            }

            _total++;
            return Refusal.None;
        }
    }

    public void Release(SourceKey source, bool trusted)
    {
        lock (_lock)
        {
            _total--;
            if (trusted)
            {
                return;
            }

            _untrusted--;
            if (_bySource[source] <= 1)
            {
                _bySource.Remove(source);
            }
            else
            {
                _bySource[source]--;
            }
        }
    }
}
