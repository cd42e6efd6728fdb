# The stand-in Kestra (kestra-sim) shaped like Kestra's own image: the `kestra` launcher in /app, configured by
# a mounted file (-c) or by KESTRA_CONFIGURATION, run as `server <kind>`. Built by io.kestra.upgrade.images.SimImages.
ARG BASE
FROM ${BASE}
ARG VERSION
ARG FLAVOUR
ARG DIGEST
COPY sim/lib/ /app/sim/lib/
COPY sim/kestra-sim.jar /app/sim/kestra-sim.jar
COPY plugins/ /app/plugins/
COPY kestra /app/kestra
RUN chmod 755 /app/kestra && mkdir -p /app/confs /app/storage
WORKDIR /app
LABEL org.opencontainers.image.title="kestra-sim" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="A stand-in Kestra ${VERSION} (${FLAVOUR}) for the upgrade coordinator's tests" \
      io.kestra.upgrade.sim.digest="${DIGEST}"
ENTRYPOINT ["/app/kestra"]
CMD ["--help"]
