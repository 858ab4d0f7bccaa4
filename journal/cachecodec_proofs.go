package journal

// The cache's encoding of the proofs of time in a [State]: stamps and
// witnessed checkpoints (see cachecodec.go for the rules).

func (e *encoder) bytes(b []byte) {
	if e.list(len(b), b == nil) {
		e.b = append(e.b, b...)
	}
}

func (d *decoder) bytes() []byte {
	n := d.list()
	if n < 0 || d.err != nil {
		return nil
	}
	if n > len(d.s)-d.i {
		d.fail()
		return nil
	}
	b := []byte(d.s[d.i : d.i+n])
	d.i += n
	return b
}

func (e *encoder) proofs(st *State) {
	if e.list(len(st.Stamps), st.Stamps == nil) {
		for _, s := range st.Stamps {
			e.time(s.RecordedAt)
			e.uint(s.At)
			e.str(s.By)
			e.uint(s.Seq)
			e.str(s.Head)
			e.str(s.URL)
			e.str(s.Authority)
			e.time(s.Time)
			e.bytes(s.Reply)
			e.bytes(s.Roots)
			e.covers(s.Covers)
			e.bool(s.Holds)
			e.carriedRoot(s.CarriedRoot)
		}
	}
	if e.list(len(st.Cosigned), st.Cosigned == nil) {
		for _, c := range st.Cosigned {
			e.time(c.RecordedAt)
			e.uint(c.At)
			e.uint(c.Seq)
			e.str(c.Head)
			e.str(c.Name)
			e.str(c.Key)
			e.time(c.Time)
			e.bytes(c.Note)
		}
	}
}

func (d *decoder) proofs(st *State) {
	if n := d.list(); n >= 0 {
		st.Stamps = make([]StampEntry, n)
		for i := range st.Stamps {
			s := &st.Stamps[i]
			s.RecordedAt = d.time()
			s.At = d.uint()
			s.By = d.str()
			s.Seq = d.uint()
			s.Head = d.str()
			s.URL = d.str()
			s.Authority = d.str()
			s.Time = d.time()
			s.Reply = d.bytes()
			s.Roots = d.bytes()
			s.Covers = d.covers()
			s.Holds = d.bool()
			s.CarriedRoot = d.carriedRoot()
		}
	}
	if n := d.list(); n >= 0 {
		st.Cosigned = make([]CosignedEntry, n)
		for i := range st.Cosigned {
			c := &st.Cosigned[i]
			c.RecordedAt = d.time()
			c.At = d.uint()
			c.Seq = d.uint()
			c.Head = d.str()
			c.Name = d.str()
			c.Key = d.str()
			c.Time = d.time()
			c.Note = d.bytes()
		}
	}
}

func (e *encoder) carriedRoot(c *CarriedRoot) {
	e.bool(c != nil)
	if c != nil {
		e.str(c.Name)
		e.str(c.SHA256)
	}
}

func (d *decoder) carriedRoot() *CarriedRoot {
	if !d.bool() {
		return nil
	}
	return &CarriedRoot{Name: d.str(), SHA256: d.str()}
}

func (e *encoder) covers(c *Covers) {
	e.bool(c != nil)
	if c == nil {
		return
	}
	e.uint(c.V1)
	e.str(c.V1Hash)
	if e.list(len(c.Devices), c.Devices == nil) {
		for _, dv := range c.Devices {
			e.str(dv.Device)
			e.uint(dv.Place)
			e.str(dv.Hash)
		}
	}
}

func (d *decoder) covers() *Covers {
	if !d.bool() {
		return nil
	}
	c := &Covers{V1: d.uint(), V1Hash: d.str()}
	if n := d.list(); n >= 0 {
		c.Devices = make([]CoveredDevice, n)
		for i := range c.Devices {
			c.Devices[i] = CoveredDevice{Device: d.str(), Place: d.uint(), Hash: d.str()}
		}
	}
	return c
}
