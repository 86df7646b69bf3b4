// Browser side of the dashboard (inlined into the page after vega, vega-lite and vega-embed): draws
// every chart from the specifications in #dashboard-config and wires the channel and budget controls
// (and the next-quarter section's budget control, the market view's geo group selector) to the Vega signals each chart
// declares; sorts the market view's table by the column whose heading is pressed. Sets data-state on <body> when it is done.
(async () => {
  const config = JSON.parse(document.getElementById('dashboard-config').textContent);
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
  const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });
  const drawn = [];

  for (const chart of config.charts) {
    const container = document.getElementById(`chart-${chart.id}`);
    try {
      const result = await vegaEmbed(container, chart.spec, { mode: 'vega-lite', renderer: 'svg', actions: false });
      drawn.push({ signals: chart.signals, view: result.view });
      container.dataset.state = 'rendered';
    } catch (error) {
      container.dataset.state = 'failed';
      container.textContent = `This chart could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  const setSignal = (name, value) =>
    Promise.all(drawn.filter((d) => d.signals.includes(name)).map((d) => d.view.signal(name, value).runAsync()));

  const describeBudget = (point) => {
    const level = point.budgetLevel === null ? '' : ` (${percent.format(point.budgetLevel)} of current)`;
    const mix = point.currentMixOutcome === null ? '' : `; current mix ${compact.format(point.currentMixOutcome)}`;
    return (
      `budget ${compact.format(point.totalSpend)}${level}: optimal outcome ${compact.format(point.outcome.mean)} ` +
      `(90% ${compact.format(point.outcome.p05)}–${compact.format(point.outcome.p95)})${mix}`
    );
  };

  const channelSelect = document.getElementById('channel-select');
  channelSelect.addEventListener('change', async () => {
    document.body.dataset.state = 'updating';
    await setSignal('channel', channelSelect.value);
    for (const row of document.querySelectorAll('[data-channel-row]')) {
      row.classList.toggle('selected', channelSelect.value !== '' && row.dataset.channelRow === channelSelect.value);
    }
    document.body.dataset.state = 'ready';
  });

  const budgetRange = document.getElementById('budget-range');
  const budgetReadout = document.getElementById('budget-readout');
  if (budgetRange !== null) {
    const showBudget = () => {
      const point = config.budgets[Number(budgetRange.value)];
      budgetReadout.textContent = describeBudget(point);
      budgetRange.setAttribute('aria-valuetext', budgetReadout.textContent);
      return point;
    };
    showBudget();
    budgetRange.addEventListener('input', async () => {
      document.body.dataset.state = 'updating';
      await setSignal('budgetIndex', showBudget().index);
      document.body.dataset.state = 'ready';
    });
  }

  // The next-quarter section's budget control: one of the run's answered plans, its charts and its table.
  const planRange = document.getElementById('plan-range');
  const planReadout = document.getElementById('plan-readout');
  if (planRange !== null) {
    const showPlan = () => {
      const point = config.plans[Number(planRange.value)];
      const level = point.budgetLevel === null ? '' : ` (${percent.format(point.budgetLevel)} of the reference plan)`;
      planReadout.textContent =
        `budget ${compact.format(point.totalSpend)}${level}: expected outcome ${compact.format(point.outcome.mean)} ` +
        `(90% ${compact.format(point.outcome.p05)}–${compact.format(point.outcome.p95)})`;
      planRange.setAttribute('aria-valuetext', planReadout.textContent);
      for (const table of document.querySelectorAll('[data-plan-index]')) table.hidden = Number(table.dataset.planIndex) !== point.index;
      return point;
    };
    showPlan();
    planRange.addEventListener('input', async () => {
      document.body.dataset.state = 'updating';
      await setSignal('planIndex', showPlan().index);
      document.body.dataset.state = 'ready';
    });
  }

  // The market view (a geo model's run): the geo group selector filters its rows and chart and shows the choice's totals.
  const geoGroupSelect = document.getElementById('geo-group-select');
  const geoGroupReadout = document.getElementById('geo-group-readout');
  if (geoGroupSelect !== null) {
    const showGeoGroup = () => {
      const selection = config.markets.find((s) => s.key === geoGroupSelect.value);
      geoGroupReadout.textContent = selection.description;
      const geos = new Set(selection.geos);
      for (const row of document.querySelectorAll('#markets [data-geo]')) row.hidden = !geos.has(row.dataset.geo);
      for (const part of document.querySelectorAll('#markets [data-market-selection]'))
        part.hidden = part.dataset.marketSelection !== selection.key;
      return selection;
    };
    showGeoGroup();
    geoGroupSelect.addEventListener('change', async () => {
      document.body.dataset.state = 'updating';
      await setSignal('geoGroup', showGeoGroup().key);
      document.body.dataset.state = 'ready';
    });
  }

  // Sortable table: pressing a column's heading sorts its rows by the cells' data-value, descending first for numbers.
  const marketTable = document.getElementById('market-table');
  if (marketTable !== null) {
    const headings = [...marketTable.querySelectorAll('thead th')];
    headings.forEach((heading, column) => {
      heading.querySelector('button').addEventListener('click', () => {
        const numeric = heading.querySelector('button').dataset.sortType === 'number';
        const current = heading.getAttribute('aria-sort');
        const direction =
          current === 'none' ? (numeric ? 'descending' : 'ascending') : current === 'ascending' ? 'descending' : 'ascending';
        for (const other of headings) other.setAttribute('aria-sort', 'none');
        heading.setAttribute('aria-sort', direction);
        const sign = direction === 'ascending' ? 1 : -1;
        const value = (row) => row.cells[column].dataset.value;
        const body = marketTable.tBodies[0];
        const rows = [...body.rows].sort(
          (a, b) => sign * (numeric ? Number(value(a)) - Number(value(b)) : value(a).localeCompare(value(b))),
        );
        body.append(...rows);
      });
    });
  }

  document.body.dataset.state = 'ready';
})();
