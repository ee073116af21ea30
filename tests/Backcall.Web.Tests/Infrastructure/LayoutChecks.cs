using Microsoft.Playwright;

namespace Backcall.Web.Tests.Infrastructure;

/// <summary>
/// What a person would see as broken, measured in the page: an element sticking out of the page sideways (unless a
/// scrolling box holds it, as tables are held by their card), a table cell whose text overflows it
/// (<c>scrollWidth</c> against <c>clientWidth</c>), a phone, date or id broken across lines, a table that needs
/// scrolling on a desktop.
/// </summary>
public static class LayoutChecks
{
    private const string Script = """
        () => {
          const width = document.documentElement.clientWidth;
          const problems = [];
          const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (typeof el.className === 'string' && el.className.trim()
              ? '.' + el.className.trim().split(/\s+/).join('.')
              : '');
          const text = el => '"' + el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
          const held = el => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) { return true; }
            }
            return false;
          };
          if (document.documentElement.scrollWidth > width) {
            problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
          }
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if ((r.width === 0 && r.height === 0) || held(el)) { continue; }
            if (r.right > width + 1 || r.left < -1) {
              problems.push(name(el) + ' ' + text(el) + ' sticks out of the page: '
                + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + width);
            }
          }
          for (const cell of document.querySelectorAll('td, th')) {
            if (cell.scrollWidth > cell.clientWidth + 1) {
              problems.push(name(cell) + ' ' + text(cell) + ' overflows its cell: '
                + cell.scrollWidth + ' > ' + cell.clientWidth);
            }
          }
          // On a desktop every table fits its card: nothing (a "Retry now" button) hides behind a scroll bar.
          if (width >= 1000) {
            for (const wrap of document.querySelectorAll('.table-wrap')) {
              if (wrap.scrollWidth > wrap.clientWidth + 1) {
                problems.push(name(wrap.querySelector('table')) + ' needs scrolling on a desktop: '
                  + wrap.scrollWidth + ' > ' + wrap.clientWidth);
              }
            }
          }
          for (const value of document.querySelectorAll('time, .phone, .nowrap')) {
            // Fragments of one line overlap vertically; a fragment entirely below another is on a later line.
            const rects = [...value.getClientRects()].filter(r => r.width > 0);
            if (rects.some(a => rects.some(b => b.top >= a.bottom - 1))) {
              problems.push(name(value) + ' ' + text(value) + ' is broken across lines');
            }
          }
          return problems.slice(0, 25);
        }
        """;

    public static async Task AssertLaidOutAsync(this IPage page, string what)
    {
        var problems = await page.EvaluateAsync<string[]>(Script);
        Assert.True(problems.Length == 0, what + ":\n" + string.Join('\n', problems));
    }
}
